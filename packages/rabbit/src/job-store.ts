import type {
  AddResult,
  ExtendResult,
  JobStore,
  LeaseRef,
  NewJob,
  RecoverRequest,
  RecoverResult,
  ReserveRequest,
  ReserveResult,
  Settlement,
  SettleResult,
  WaitRequest,
} from '@mq/core';
import type { RabbitContext } from './context.js';
import type { QueueDeliveries } from './deliveries.js';
import type { Notice } from './link.js';
import { messagePriority } from './topology.js';

/**
 * The job store of the RabbitMQ backend: every state transition is the store's own
 * contract call (held by reference); RabbitMQ carries one delivery notice per job that
 * becomes waiting or delayed, wakes idle workers and tracks unfinished work.
 */
export class RabbitJobStore implements JobStore {
  readonly minSettleBatch: number | undefined;

  constructor(
    private readonly ctx: RabbitContext,
    private readonly deliveries: (queue: string) => QueueDeliveries,
  ) {
    this.minSettleBatch = ctx.store.jobs.minSettleBatch;
  }

  /**
   * Store first, then the notices (confirmed in the background, see `publishSoon`). A
   * lost publish is closed by the sweep.
   */
  async add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    this.ctx.topology(queue); // a name the broker cannot hold is refused before any write
    const results = await this.ctx.store.jobs.add(queue, jobs);
    const now = Date.now();
    const notices: Notice[] = [];
    results.forEach((r, i) => {
      const job = jobs[i];
      if (job === undefined || (r.status !== 'added' && r.status !== 'replaced')) return;
      notices.push({
        jobId: r.id,
        priority: messagePriority(job.priority),
        ...(job.delay > 0 ? { runAt: now + job.delay } : {}),
      });
    });
    this.ctx.publishSoon(queue, notices);
    return results;
  }

  /** Leases in the store (its order, pause and limits); binds the deliveries of the leased jobs. */
  async reserve(queue: string, req: ReserveRequest): Promise<ReserveResult> {
    const d = this.deliveries(queue);
    d.ensure(req.max);
    d.claimStarted();
    const r = await this.ctx.store.jobs.reserve(queue, req);
    d.claimed(r.jobs, r.jobs.length < req.max && r.limitedForMs === undefined);
    return r;
  }

  /**
   * Resolves on a delivery, a local wake-up (resume, a due timer), abort or `maxWaitMs`.
   * While this consumer holds deliveries of jobs the store would not grant (a paused or
   * limited queue) the broker has nothing new to say, so the store's own wait is raced too.
   */
  async waitForWork(queue: string, req: WaitRequest): Promise<void> {
    const d = this.deliveries(queue);
    d.ensure();
    if (d.hasNews || req.signal.aborted) return;
    let also: Promise<void> | undefined;
    const inner = new AbortController();
    const onAbort = () => inner.abort();
    req.signal.addEventListener('abort', onAbort, { once: true });
    if (d.keptCount > 0) {
      also = this.ctx.store.jobs.waitForWork(queue, {
        signal: inner.signal,
        maxWaitMs: req.maxWaitMs,
      });
    }
    try {
      await d.wait(req.signal, req.maxWaitMs, also);
    } finally {
      req.signal.removeEventListener('abort', onAbort);
      inner.abort();
    }
  }

  extend(queue: string, leases: LeaseRef[], leaseMs: number): Promise<ExtendResult[]> {
    return this.ctx.store.jobs.extend(queue, leases, leaseMs);
  }

  /** Settles in the store, then acks the deliveries (store before ack). */
  async settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }> {
    const d = this.deliveries(queue);
    if (next) d.claimStarted();
    const r = await this.ctx.store.jobs.settle(queue, outcomes, next);
    const republish = d.settled(outcomes);
    if (next && r.next) {
      d.claimed(r.next.jobs, r.next.jobs.length < next.max && r.next.limitedForMs === undefined);
    }
    if (republish.length > 0) {
      await this.ctx.publish(
        queue,
        republish.map((jobId) => ({ jobId, priority: 0 })),
      );
    }
    return r;
  }

  /** Recovery returns jobs to waiting: each gets a notice. */
  async recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult> {
    const r = await this.ctx.store.jobs.recoverExpired(queue, req);
    await this.ctx.publish(
      queue,
      r.recovered.map((jobId) => ({ jobId, priority: 0 })),
    );
    return r;
  }
}
