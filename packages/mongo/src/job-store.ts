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
  private readonly chains = new Map<string, Promise<void>>();

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
    return this.serial(queue, () => extendLeases(this.ctx, queue, leases, leaseMs));
  }

  async settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }> {
    const results = await this.serial(queue, () =>
      settleOutcomes(this.ctx, this.clock, queue, outcomes),
    );
    if (next === undefined) return { results };
    return { results, next: await this.reserve(queue, next) };
  }

  recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult> {
    return recoverExpired(this.ctx, queue, req);
  }

  /**
   * On FerretDB only, runs the writes to active jobs of one queue (extend, settle) one
   * call at a time within this backend. FerretDB applies an update by reading the whole
   * document and writing it back, so a lease extension racing the settle of the same
   * job could write the job back to active. Elsewhere (atomic updates) it runs `fn` at
   * once. Races between processes on FerretDB remain: see the README.
   */
  private serial<T>(queue: string, fn: () => Promise<T>): Promise<T> {
    if (!this.ctx.ferret) return fn();
    const prev = this.chains.get(queue) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(queue, tail);
    void tail.then(() => {
      if (this.chains.get(queue) === tail) this.chains.delete(queue);
    });
    return run;
  }
}
