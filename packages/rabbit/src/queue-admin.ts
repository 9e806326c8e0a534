import type {
  CancelResult,
  CleanRequest,
  JobCounts,
  JobRecord,
  ListRequest,
  ObliterateResult,
  PromoteSelector,
  QueueAdmin,
  RetentionRequest,
  RetentionResult,
  RetrySelector,
  UpdateDataResult,
} from '@mq/core';
import type { RabbitContext } from './context.js';

/** Most waiting jobs a resume publishes notices for (cross-process wake-up). */
const RESUME_NOTICES = 50;

/**
 * Queue administration: the store's, called by reference. Every action that makes jobs
 * waiting (retry, promote, resume) publishes their notices; obliterate also deletes the
 * queue's RabbitMQ queues.
 */
export class RabbitQueueAdmin implements QueueAdmin {
  constructor(
    private readonly ctx: RabbitContext,
    private readonly dropQueue: (queue: string) => Promise<void>,
  ) {}

  private get inner(): QueueAdmin {
    return this.ctx.store.admin;
  }

  private async notify(queue: string, ids: string[]): Promise<string[]> {
    await this.ctx.publish(
      queue,
      ids.map((jobId) => ({ jobId, priority: 0 })),
    );
    return ids;
  }

  counts(queue: string): Promise<JobCounts> {
    return this.inner.counts(queue);
  }
  get(queue: string, id: string): Promise<JobRecord | null> {
    return this.inner.get(queue, id);
  }
  list(queue: string, req: ListRequest): Promise<JobRecord[]> {
    return this.inner.list(queue, req);
  }
  remove(queue: string, ids: string[]): Promise<string[]> {
    return this.inner.remove(queue, ids);
  }
  async retry(queue: string, sel: RetrySelector): Promise<string[]> {
    return this.notify(queue, await this.inner.retry(queue, sel));
  }
  async promote(queue: string, sel: PromoteSelector): Promise<string[]> {
    return this.notify(queue, await this.inner.promote(queue, sel));
  }
  clean(queue: string, req: CleanRequest): Promise<string[]> {
    return this.inner.clean(queue, req);
  }
  applyRetention(queue: string, req: RetentionRequest): Promise<RetentionResult> {
    return this.inner.applyRetention(queue, req);
  }
  drain(queue: string, includeDelayed: boolean): Promise<number> {
    return this.inner.drain(queue, includeDelayed);
  }
  async obliterate(queue: string, force: boolean): Promise<ObliterateResult> {
    const r = await this.inner.obliterate(queue, force);
    if (r.status === 'ok') await this.dropQueue(queue);
    return r;
  }
  async setPaused(queue: string, paused: boolean): Promise<void> {
    await this.inner.setPaused(queue, paused);
    if (paused) return;
    this.ctx.wakeLocal(queue);
    const waiting = await this.inner.list(queue, {
      state: 'waiting',
      offset: 0,
      limit: RESUME_NOTICES,
      order: 'asc',
    });
    await this.notify(
      queue,
      waiting.map((j) => j.id),
    );
  }
  isPaused(queue: string): Promise<boolean> {
    return this.inner.isPaused(queue);
  }
  setProgress(queue: string, id: string, token: string, progress: string): Promise<boolean> {
    return this.inner.setProgress(queue, id, token, progress);
  }
  addLog(queue: string, id: string, token: string, line: string, keep: number): Promise<boolean> {
    return this.inner.addLog(queue, id, token, line, keep);
  }
  getLogs(queue: string, id: string, offset: number, limit: number): Promise<string[]> {
    return this.inner.getLogs(queue, id, offset, limit);
  }
  getDedupOwner(queue: string, dedupId: string): Promise<string | null> {
    return this.inner.getDedupOwner(queue, dedupId);
  }
  removeDedupKey(queue: string, dedupId: string): Promise<boolean> {
    return this.inner.removeDedupKey(queue, dedupId);
  }
  cancel(queue: string, id: string): Promise<CancelResult> {
    return this.inner.cancel(queue, id);
  }
  updateData(queue: string, id: string, name: string, payload: string): Promise<UpdateDataResult> {
    return this.inner.updateData(queue, id, name, payload);
  }
  setGlobalLimits(
    queue: string,
    limits: { rate?: { max: number; duration: number } | null; concurrency?: number | null },
  ): Promise<void> {
    return this.inner.setGlobalLimits(queue, limits);
  }
  listQueues(): Promise<string[]> {
    return this.inner.listQueues();
  }
}
