import { AddBatcher } from '@mq/core/backend-kit';
import {
  type AddResult,
  type ExtendResult,
  type JobStore,
  type LeaseRef,
  type NewJob,
  type RecoverRequest,
  type RecoverResult,
  type ReserveRequest,
  type ReserveResult,
  type SettleResult,
  type Settlement,
  MAX_STORED_COUNT,
  storableDuration,
  storableSettlements,
  type WaitRequest,
} from '@mq/core';
import type { BackendContext } from './context.js';
import { plainArray, textArray } from './sql/arrays.js';
import { encodeKeep, type JobRow, toJobRecord } from './sql/job-row.js';
import { assertStorableJobs } from './sql/storable.js';
import { type JobStatements, jobStatements } from './sql/job-statements.js';

interface OutRow extends JobRow {
  tag: 'job' | 'limit' | 'ok';
  i: number | null;
  limited_ms: number | null;
}

/** Adds of fewer jobs than this are merged with the others of their tick (AddBatcher). */
const MERGE_BELOW = 1000;

// add_job() raises this when a custom id appears between its check and its insert.
const ADD_RACE_CODE = 'MQ001';

/**
 * The hot path on PostgreSQL: one statement per add batch, per claim, per settle batch
 * (with the next claim in the same call), per extend batch and per stalled sweep.
 */
export class PostgresJobStore implements JobStore {
  /**
   * A settle call runs several statements (update, retention, claim) whose fixed cost
   * outweighs a few jobs: two overlapping calls pay off from about 20 jobs each
   * (measured: two calls of 5 make a worker at concurrency 10 about a tenth slower than
   * one of 10; two of 50 make one at concurrency 100 about a fifth faster).
   */
  readonly minSettleBatch = 20;
  private readonly sql: JobStatements;
  private readonly batcher: AddBatcher | null;
  // Wake-up epoch of each queue when its last reserve started (see Wakeups).
  private readonly reserveEpochs = new Map<string, number>();

  /**
   * @param mergeAdds merge the small adds of a tick into one statement (AddBatcher).
   *   Off for a caller's client: a deferred add could then run after the caller's own
   *   next query — a COMMIT, say — instead of before it.
   */
  constructor(
    private readonly ctx: BackendContext,
    mergeAdds = true,
  ) {
    this.sql = jobStatements(ctx.names);
    this.batcher = mergeAdds ? new AddBatcher((queue, jobs) => this.write(queue, jobs)) : null;
  }

  add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    // Before merging: a job PostgreSQL cannot store fails its own caller only.
    try {
      assertStorableJobs(jobs);
    } catch (err) {
      return Promise.reject(err);
    }
    // A bulk add fills a statement by itself: only small adds wait for company.
    if (this.batcher === null || jobs.length >= MERGE_BELOW) return this.write(queue, jobs);
    return this.batcher.add(queue, jobs);
  }

  private async write(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    const cols = columnsOf(jobs);
    if (!jobs.some((j) => j.dedup !== undefined)) {
      const rows = await this.ctx.db.rows<{ id: string; added: boolean }>(this.sql.addBulk, [
        queue,
        ...cols,
      ]);
      return rows.map((r) => ({ status: r.added ? 'added' : 'duplicate', id: r.id }));
    }
    const dedup = [
      textArray(jobs.map((j) => j.dedup?.id ?? null)),
      plainArray(
        jobs.map((j) => (j.dedup?.ttl === undefined ? null : storableDuration(j.dedup.ttl))),
      ),
      plainArray(jobs.map((j) => j.dedup?.extend ?? false)),
      plainArray(jobs.map((j) => j.dedup?.replace ?? false)),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await this.ctx.db.rows<{
          status: string;
          id: string;
          replaced: string | null;
        }>(this.sql.addWithDedup, [queue, ...cols, ...dedup]);
        return rows.map((r): AddResult => {
          if (r.status === 'replaced')
            return { status: 'replaced', id: r.id, replacedId: r.replaced! };
          return { status: r.status as 'added' | 'duplicate' | 'deduplicated', id: r.id };
        });
      } catch (err) {
        // The statement rolled back as a whole: retrying sees the concurrent job.
        if ((err as { code?: string }).code !== ADD_RACE_CODE || attempt >= 3) throw err;
      }
    }
  }

  async reserve(queue: string, req: ReserveRequest): Promise<ReserveResult> {
    this.reserveEpochs.set(queue, this.ctx.wakeups.epoch(queue));
    const rows = await this.ctx.db.rows<OutRow>(this.sql.claim, [
      queue,
      req.max,
      req.leaseMs,
      req.workerId,
    ]);
    return toReserveResult(queue, rows);
  }

  waitForWork(queue: string, req: WaitRequest): Promise<void> {
    const { signal } = req;
    if (signal.aborted) return Promise.resolve();
    const seen = this.reserveEpochs.get(queue);
    // Something was added (or resumed…) since this queue's last reserve: go again now.
    if (seen !== undefined && this.ctx.wakeups.epoch(queue) !== seen) return Promise.resolve();
    const listener = this.ctx.listener();
    // Without LISTEN, poll: a bounded backstop until the listener is back.
    const budget = listener.isUp
      ? req.maxWaitMs
      : Math.min(req.maxWaitMs, this.ctx.options.pollIntervalMs);
    const parked = this.ctx.wakeups.park(queue, signal, budget);
    // Work already there ends the wait; else the earliest delayed job bounds it: no
    // scanner, the waiter itself wakes up when the job is due.
    this.ctx.db
      .rows<{ due: number | null }>(this.sql.nextDue, [queue])
      .then((rows) => {
        const due = rows[0]?.due;
        if (due !== null && due !== undefined) parked.shorten(due);
      })
      .catch(() => {
        // The server is unreachable: the poll budget bounds the wait anyway.
      });
    return parked.done;
  }

  async extend(queue: string, leases: LeaseRef[], leaseMs: number): Promise<ExtendResult[]> {
    if (leases.length === 0) return [];
    const rows = await this.ctx.db.rows<{ id: string; token: string; cancel_requested: boolean }>(
      this.sql.extend,
      [
        queue,
        textArray(leases.map((l) => l.jobId)),
        textArray(leases.map((l) => l.token)),
        leaseMs,
      ],
    );
    const held = new Map(rows.map((r) => [`${r.id}\u0000${r.token}`, r.cancel_requested]));
    return leases.map((l) => {
      const cancel = held.get(`${l.jobId}\u0000${l.token}`);
      if (cancel === undefined) return 'lost';
      return cancel ? 'cancelled' : 'extended';
    });
  }

  async settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }> {
    if (outcomes.length === 0 && !next) return { results: [] };
    if (next) this.reserveEpochs.set(queue, this.ctx.wakeups.epoch(queue));
    // A retry time no bigint holds would fail the whole statement: it fails that job
    // alone instead (see Settlement).
    outcomes = storableSettlements(outcomes);
    const rows = await this.ctx.db.rows<OutRow>(this.sql.settle, [
      queue,
      textArray(outcomes.map((o) => o.jobId)),
      textArray(outcomes.map((o) => o.token)),
      textArray(outcomes.map((o) => o.kind)),
      textArray(outcomes.map((o) => (o.kind === 'completed' ? (o.result ?? null) : null))),
      plainArray(outcomes.map((o) => (o.kind === 'retry' ? Math.floor(o.runAt) : null))),
      textArray(
        outcomes.map((o) =>
          o.kind === 'retry' || o.kind === 'failed' ? JSON.stringify(o.error) : null,
        ),
      ),
      next?.max ?? 0,
      next?.leaseMs ?? 0,
      next?.workerId ?? null,
    ]);
    this.ctx.vacuum?.settledJobs(outcomes.length);
    const results: SettleResult[] = outcomes.map(() => 'lost');
    for (const r of rows) if (r.tag === 'ok' && r.i !== null) results[r.i - 1] = 'ok';
    if (!next) return { results };
    return { results, next: toReserveResult(queue, rows) };
  }

  async recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult> {
    const rows = await this.ctx.db.rows<{ id: string; outcome: string }>(this.sql.recover, [
      queue,
      req.maxStalls,
      req.limit,
    ]);
    const out: RecoverResult = { recovered: [], failed: [] };
    for (const r of rows) (r.outcome === 'failed' ? out.failed : out.recovered).push(r.id);
    return out;
  }
}

function toReserveResult(queue: string, rows: OutRow[]): ReserveResult {
  const res: ReserveResult = { jobs: [] };
  for (const r of rows) {
    if (r.tag === 'job') res.jobs.push({ job: toJobRecord(queue, r), token: r.token! });
    else if (r.tag === 'limit' && r.limited_ms !== null) res.limitedForMs = r.limited_ms;
  }
  return res;
}

/** A priority as the integer column holds it (core allows far less; NaN is 0). */
function storablePriority(p: number): number {
  if (Number.isNaN(p)) return 0;
  return Math.max(-MAX_STORED_COUNT, Math.min(MAX_STORED_COUNT, Math.floor(p)));
}

/** The per-column array literals of `addBulk` / `addWithDedup` ($2 … $12). */
function columnsOf(jobs: NewJob[]): string[] {
  const c = jobs.map((j) => encodeKeep(j.opts.removeOnComplete));
  const f = jobs.map((j) => encodeKeep(j.opts.removeOnFail));
  // Jobs of one batch usually share their options object: serialize it once.
  let lastOpts: NewJob['opts'] | undefined;
  let lastJson = '';
  const opts = jobs.map((j) => {
    if (j.opts !== lastOpts) {
      lastOpts = j.opts;
      lastJson = JSON.stringify(j.opts);
    }
    return lastJson;
  });
  return [
    textArray(jobs.map((j) => j.id ?? null)),
    textArray(jobs.map((j) => j.name)),
    textArray(jobs.map((j) => j.payload)),
    // Numbers bounded to their columns (integer, bigint): one out-of-range value would
    // fail the statement of every job merged into it.
    plainArray(jobs.map((j) => storablePriority(j.priority))),
    plainArray(jobs.map((j) => j.lifo)),
    plainArray(jobs.map((j) => storableDuration(j.delay))),
    textArray(opts),
    plainArray(c.map((k) => k.age)),
    plainArray(c.map((k) => k.count)),
    plainArray(f.map((k) => k.age)),
    plainArray(f.map((k) => k.count)),
  ];
}
