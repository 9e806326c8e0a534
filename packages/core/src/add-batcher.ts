import type { AddResult, NewJob } from './contract/index.js';

interface PendingAdd {
  jobs: NewJob[];
  resolve: (results: AddResult[]) => void;
  reject: (err: unknown) => void;
}

/** Below this many jobs a tick's adds go in one call; from twice it they are split. */
const MIN_CALL_JOBS = 4;

/**
 * For backends: merges the `add` calls one queue receives within one event-loop tick
 * into one backend call. Producers with several adds in flight (a web server handling
 * requests, a loop with `Promise.all`) then pay one round trip and one statement or
 * script per tick instead of one per job — whose fixed cost is several times that of
 * adding one job. Each caller still gets its own results; the jobs of one call keep
 * their order, and calls go out in the order they were made. A failed call rejects
 * every add it carried (none of them is reported as written).
 *
 * A tick with many adds (8 jobs or more) is sent as two calls, the second one
 * event-loop turn later (in its own socket write): the server then works on the first
 * while this process handles the replies of the one before, instead of each side
 * waiting for the other. Adds made meanwhile join the second call.
 */
export class AddBatcher {
  private readonly open = new Map<string, PendingAdd[]>();

  /** @param send writes one merged batch (the backend's own add, without batching). */
  constructor(private readonly send: (queue: string, jobs: NewJob[]) => Promise<AddResult[]>) {}

  /** Queues `jobs` for the next call on `queue`. */
  add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    let batch = this.open.get(queue);
    if (batch === undefined) {
      batch = [];
      this.open.set(queue, batch);
      // After the microtasks of this tick: the continuations of adds that finished
      // together (and now add again) all join this call.
      process.nextTick(() => this.flush(queue, true));
    }
    return new Promise((resolve, reject) => batch.push({ jobs, resolve, reject }));
  }

  /** Sends the open batch; `split`: the first flush of a tick, which may split it. */
  private flush(queue: string, split: boolean): void {
    const batch = this.open.get(queue) ?? [];
    this.open.delete(queue);
    let total = 0;
    for (const b of batch) total += b.jobs.length;
    let cut = batch.length;
    if (split && total >= 2 * MIN_CALL_JOBS) {
      // The first calls up to half the jobs go now, the rest next turn.
      cut = 0;
      for (let n = 0; n < total / 2; cut++) n += (batch[cut] as PendingAdd).jobs.length;
    }
    if (cut < batch.length) {
      this.open.set(queue, batch.slice(cut));
      setImmediate(() => this.flush(queue, false));
    }
    this.call(queue, cut < batch.length ? batch.slice(0, cut) : batch);
  }

  private call(queue: string, batch: PendingAdd[]): void {
    const only = batch[0];
    if (batch.length === 1 && only !== undefined) {
      this.send(queue, only.jobs).then(only.resolve, only.reject);
      return;
    }
    const all: NewJob[] = [];
    for (const b of batch) for (const j of b.jobs) all.push(j);
    this.send(queue, all).then(
      (results) => {
        let at = 0;
        for (const b of batch) {
          b.resolve(results.slice(at, at + b.jobs.length));
          at += b.jobs.length;
        }
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}
