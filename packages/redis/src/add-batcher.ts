import type { AddResult, NewJob } from '@mq/core';

interface PendingAdd {
  jobs: NewJob[];
  resolve: (results: AddResult[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Merges the `add` calls one queue receives within one event-loop tick into one script
 * call. Producers with several adds in flight (a web server handling requests, a loop
 * with `Promise.all`) then pay one round trip and one script invocation per tick instead
 * of one per job: the fixed cost of a script call is several times the cost of adding
 * one job. Each caller still gets its own results, in its own order; jobs run through
 * the script in call order. A failed call rejects every add it carried (none of them
 * is reported as written).
 */
export class AddBatcher {
  private readonly open = new Map<string, PendingAdd[]>();

  constructor(private readonly send: (queue: string, jobs: NewJob[]) => Promise<AddResult[]>) {}

  /** Queues `jobs` for this tick's call on `queue`. */
  add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    let batch = this.open.get(queue);
    if (batch === undefined) {
      batch = [];
      this.open.set(queue, batch);
      // After the microtasks of this tick: the continuations of adds that finished
      // together (and now add again) all join this call.
      process.nextTick(() => this.flush(queue));
    }
    return new Promise((resolve, reject) => batch.push({ jobs, resolve, reject }));
  }

  private flush(queue: string): void {
    const batch = this.open.get(queue) ?? [];
    this.open.delete(queue);
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
