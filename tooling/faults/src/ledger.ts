import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a child process records. Workers: `ready`, `start` (the processor began an
 * execution), `done` (the processor returned), `completed` (the backend accepted the
 * completion: the worker's `completed` event), `lost` (the worker lost the lease), `error`
 * (the worker's `error` event). Producers: `acked` (the add resolved), `add-error` (the add
 * threw and will be retried with the same jobId).
 */
export type LedgerEventKind =
  | 'ready'
  | 'start'
  | 'done'
  | 'completed'
  | 'lost'
  | 'error'
  | 'acked'
  | 'add-error';

/** One line of the ledger. */
export interface LedgerEvent {
  /** Wall-clock ms. */
  t: number;
  pid: number;
  ev: LedgerEventKind;
  job?: string;
  /** The job's `attemptsStarted` as the execution saw it. */
  attempt?: number;
  /** `added` / `duplicate` for `acked`; the message for errors. */
  info?: string;
}

/**
 * An append-only ledger file of one process, independent of the queue's store. Each
 * event is one `write(2)` on an `O_APPEND` descriptor, so it is in the kernel once the
 * call returns and survives a `kill -9` of the writer.
 */
export class LedgerWriter {
  private readonly fd: number;

  /** Opens (creates) `<dir>/<role>-<pid>.jsonl`. */
  constructor(dir: string, role: string) {
    this.fd = openSync(join(dir, `${role}-${process.pid}.jsonl`), 'a');
  }

  /** Appends one event stamped with now and this pid. */
  write(ev: LedgerEventKind, fields: Omit<LedgerEvent, 't' | 'pid' | 'ev'> = {}): void {
    const line = JSON.stringify({ t: Date.now(), pid: process.pid, ev, ...fields });
    writeSync(this.fd, line + '\n');
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Every event of every ledger file in `dir`, in time order. A last line cut short by a
 * `kill -9` mid-write is skipped.
 */
export function readLedger(dir: string): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.length === 0) continue;
      try {
        events.push(JSON.parse(line) as LedgerEvent);
      } catch {
        // a torn last line of a killed writer
      }
    }
  }
  return events.sort((a, b) => a.t - b.t);
}
