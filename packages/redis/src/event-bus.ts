import type { EventBus, QueueEvent, QueueEventInput } from '@mq/core';
import type { BackendContext } from './context.js';
import { RedisBackendClosedError } from './errors.js';
import { decodeEntry, EVENTS_PER_ENTRY, encodeEntry, readStartFor } from './event-codec.js';

/** Stream entries kept per queue (approximate trim, as XADD MAXLEN ~ does). */
export const EVENT_HISTORY = 10_000;

/** Entries fetched per XREAD. */
const READ_COUNT = 1000;
/** Pause after an unexpected read error (reconnects themselves just wait). */
const ERROR_BACKOFF_MS = 500;

type Listener = (event: QueueEvent) => void;

/** Events waiting for the end-of-turn flush, and the publish calls to settle after it. */
interface PendingBatch {
  events: QueueEventInput[];
  settle: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Events on a capped Redis Stream per queue (`XADD MAXLEN ~ 10000` entries, each holding
 * one publish batch; see event-codec.ts): ids are plain increasing integers, handed out
 * without a script, and keep increasing across `obliterate`, which leaves the stream
 * alone. Each subscription
 * reads its queues' streams with `XREAD BLOCK` on a dedicated connection; unsubscribing
 * disconnects it, which ends the blocked read at once. A read in flight during a server
 * restart is re-sent after the reconnect and resumes after the last delivered id.
 */
export class RedisEventBus implements EventBus {
  private readonly subscriptions = new Set<() => Promise<void>>();
  /** Events published in this turn of the event loop, per queue. */
  private pending = new Map<string, PendingBatch>();
  private flushQueued = false;

  constructor(private readonly ctx: BackendContext) {}

  /**
   * Appends `events` to the queue's stream. Calls made in the same turn of the event loop
   * (ten producers whose adds returned together, a worker's batch) are merged into one
   * XADD per queue, written with the commands issued in that turn.
   */
  publish(queue: string, events: QueueEventInput[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (this.ctx.conns.isClosed) return Promise.reject(new RedisBackendClosedError());
    let batch = this.pending.get(queue);
    if (batch === undefined) {
      batch = { events: [], settle: [] };
      this.pending.set(queue, batch);
    }
    for (const e of events) batch.events.push(e);
    const done = new Promise<void>((resolve, reject) => batch.settle.push({ resolve, reject }));
    if (!this.flushQueued) {
      this.flushQueued = true;
      // A microtask runs after the continuations already queued in this turn, and before
      // the write coalescer uncorks the socket at the end of it.
      queueMicrotask(() => this.flush());
    }
    return done;
  }

  private flush(): void {
    this.flushQueued = false;
    const batches = this.pending;
    this.pending = new Map();
    const main = this.ctx.conns.main;
    this.ctx.writes.hold();
    for (const [queue, batch] of batches) {
      const key = this.ctx.keys.queue(queue).key.events;
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < batch.events.length; i += EVENTS_PER_ENTRY) {
        const entry = encodeEntry(batch.events.slice(i, i + EVENTS_PER_ENTRY));
        writes.push(main.call('XADD', [key, 'MAXLEN', '~', EVENT_HISTORY, '0-*', 'e', entry]));
      }
      Promise.all(writes).then(
        () => {
          for (const w of batch.settle) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch.settle) w.reject(err);
        },
      );
    }
  }

  async subscribe(
    queues: string[],
    listener: Listener,
    fromId?: string,
  ): Promise<() => Promise<void>> {
    if (this.ctx.conns.isClosed) throw new RedisBackendClosedError();
    const names = [...new Set(queues)];
    const streams = names.map((q) => this.ctx.keys.queue(q).key.events);
    const from = fromId !== undefined && /^\d+$/.test(fromId) ? readStartFor(fromId) : undefined;
    // Start after the last id published so far: events published once this resolves are
    // never missed, even before the first XREAD reaches the server.
    const ids =
      from !== undefined
        ? names.map(() => from.streamId)
        : await Promise.all(streams.map((s) => this.lastId(s)));
    // Per stream: events at or below this id are skipped (only in its first entry read).
    const after = names.map(() => from?.after ?? -1);
    const conn = this.ctx.conns.blocking();
    let stopped = false;

    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          const reply = (await conn.call('XREAD', [
            'COUNT',
            READ_COUNT,
            'BLOCK',
            this.ctx.opts.blockMs,
            'STREAMS',
            ...streams,
            ...ids,
          ])) as [string, [string, string[]][]][] | null;
          if (stopped || reply === null) continue;
          for (const [stream, entries] of reply) {
            const idx = streams.indexOf(stream);
            const queue = names[idx] as string;
            for (const [id, fields] of entries) {
              ids[idx] = id;
              for (const event of decodeEntry(queue, id, fields, after[idx] ?? -1)) {
                deliver(this.ctx.opts.onError, listener, event);
              }
              after[idx] = -1;
            }
          }
        } catch (err) {
          if (stopped) break;
          this.ctx.opts.onError(err instanceof Error ? err : new Error(String(err)));
          await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
        }
      }
    };
    const done = loop();
    const unsubscribe = async (): Promise<void> => {
      if (stopped) return done;
      stopped = true;
      this.subscriptions.delete(unsubscribe);
      this.ctx.conns.release(conn);
      return done;
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** The id of the newest entry of `stream`, or `0-0` when it has none. */
  private async lastId(stream: string): Promise<string> {
    const last = (await this.ctx.conns.main.xrevrange(stream, '+', '-', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    return last[0]?.[0] ?? '0-0';
  }

  /** Ends every subscription (backend close). */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((u) => u()));
  }
}

function deliver(onError: (err: Error) => void, listener: Listener, event: QueueEvent): void {
  try {
    listener(event);
  } catch (err) {
    onError(new Error(`an event listener threw: ${String(err)}`, { cause: err }));
  }
}
