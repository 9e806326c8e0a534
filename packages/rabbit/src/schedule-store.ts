import type { FireResult, FireTick, ScheduleRecord, ScheduleStore } from '@mq/core';
import type { RabbitContext } from './context.js';
import { messagePriority } from './topology.js';

/** The store's schedules by reference; a fired tick's job gets its delivery notice. */
export class RabbitScheduleStore implements ScheduleStore {
  constructor(private readonly ctx: RabbitContext) {}

  private get inner(): ScheduleStore {
    return this.ctx.store.schedules;
  }

  upsert(record: ScheduleRecord): Promise<void> {
    return this.inner.upsert(record);
  }
  remove(queue: string, id: string): Promise<boolean> {
    return this.inner.remove(queue, id);
  }
  get(queue: string, id: string): Promise<ScheduleRecord | null> {
    return this.inner.get(queue, id);
  }
  list(queue: string): Promise<ScheduleRecord[]> {
    return this.inner.list(queue);
  }
  setPaused(queue: string, id: string, paused: boolean): Promise<boolean> {
    return this.inner.setPaused(queue, id, paused);
  }
  async fire(queue: string, id: string, tick: FireTick): Promise<FireResult> {
    if (tick.job !== null) this.ctx.topology(queue);
    const r = await this.inner.fire(queue, id, tick);
    if (r.status === 'fired' && tick.job !== null && r.jobId !== '') {
      const job = tick.job;
      this.ctx.publishSoon(queue, [
        {
          jobId: r.jobId,
          priority: messagePriority(job.priority),
          ...(job.delay > 0 ? { runAt: Date.now() + job.delay } : {}),
        },
      ]);
    }
    return r;
  }
  resetDrift(queue: string, id: string, now: number): Promise<boolean> {
    return this.inner.resetDrift(queue, id, now);
  }
}
