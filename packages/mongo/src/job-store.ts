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
import { addJobs } from './add-jobs.js';
import type { MongoContext } from './context.js';
import { extendLeases, reserveJobs } from './leasing.js';
import { FinishClock } from './sequence.js';
import { recoverExpired, settleOutcomes } from './settling.js';
import { TokenSource } from './tokens.js';
import { PollInterval, waitForWork } from './wait-for-work.js';

/** The hot path on MongoDB: single-document compare-and-set writes, batched per call. */
export class MongoJobStore implements JobStore {
  /** A settle costs two round trips plus retention: batches of 8 or more pay for themselves. */
  readonly minSettleBatch = 8;
  private readonly tokens = new TokenSource();
  private readonly clock = new FinishClock();
  private readonly poll: PollInterval;

  constructor(private readonly ctx: MongoContext) {
    this.poll = new PollInterval(ctx.opts.pollMin, ctx.opts.pollMax);
  }

  add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    return addJobs(this.ctx, queue, jobs);
  }

  reserve(queue: string, req: ReserveRequest): Promise<ReserveResult> {
    return reserveJobs(this.ctx, this.tokens, queue, req);
  }

  waitForWork(queue: string, req: WaitRequest): Promise<void> {
    return waitForWork(this.ctx, this.poll, queue, req);
  }

  extend(queue: string, leases: LeaseRef[], leaseMs: number): Promise<ExtendResult[]> {
    return extendLeases(this.ctx, queue, leases, leaseMs);
  }

  async settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }> {
    const results = await settleOutcomes(this.ctx, this.clock, queue, outcomes);
    if (next === undefined) return { results };
    return { results, next: await this.reserve(queue, next) };
  }

  recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult> {
    return recoverExpired(this.ctx, queue, req);
  }
}
