import type { QueueEvent } from '@mq/core';

/** Per-queue completion and failure counts in one-second buckets over the last minute. */
export class LiveStats {
  private readonly buckets = new Map<
    string,
    { sec: number; completed: number; failed: number }[]
  >();
  private readonly startedAt = new Map<string, number>();

  /** Marks `backend` as observed from now (throughput is known only after this). */
  observing(backend: string, now: number): void {
    if (!this.startedAt.has(backend)) this.startedAt.set(backend, now);
  }

  /** Counts one event. */
  record(backend: string, event: QueueEvent): void {
    if (event.type !== 'completed' && event.type !== 'failed') return;
    const key = `${backend}\u0000${event.queue}`;
    const sec = Math.floor(event.at / 1000);
    let list = this.buckets.get(key);
    if (!list) {
      list = [];
      this.buckets.set(key, list);
    }
    let last = list[list.length - 1];
    if (!last || last.sec !== sec) {
      last = { sec, completed: 0, failed: 0 };
      list.push(last);
      while (list.length > 0 && (list[0]?.sec ?? sec) < sec - 60) list.shift();
    }
    last[event.type]++;
  }

  /** Per minute over the last 60 s; null when the backend is not observed. */
  rate(
    backend: string,
    queue: string,
    now: number,
  ): { completedPerMin: number; failedPerMin: number } | null {
    if (!this.startedAt.has(backend)) return null;
    const from = Math.floor(now / 1000) - 60;
    let completed = 0;
    let failed = 0;
    for (const b of this.buckets.get(`${backend}\u0000${queue}`) ?? [])
      if (b.sec > from) {
        completed += b.completed;
        failed += b.failed;
      }
    return { completedPerMin: completed, failedPerMin: failed };
  }
}
