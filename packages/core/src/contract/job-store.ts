import type { JobErrorInfo, JobRecord, KeepPolicy, StoredJobOptions } from './job-record.js';

/** Deduplication request on add: simple (no ttl), throttle (ttl), extend, replace. */
export interface DedupSpec {
  id: string;
  /** Keep the key for this many ms from when it was set, even after the owner finishes. */
  ttl?: number;
  /** Each deduplicated add restarts the ttl. */
  extend?: boolean;
  /** A new add replaces a still-delayed owner (debounce): the old job is removed. */
  replace?: boolean;
}

/** A job to add, already validated and serialized by core. */
export interface NewJob {
  /** Custom id; when absent the backend assigns a unique one. */
  id?: string;
  name: string;
  payload: string;
  priority: number;
  lifo: boolean;
  /** Delay in ms from now; 0 = reservable at once. */
  delay: number;
  opts: StoredJobOptions;
  dedup?: DedupSpec;
}

/** What happened to one `NewJob`. */
export type AddResult =
  | { status: 'added'; id: string }
  /** A job with this custom id exists: nothing was written. */
  | { status: 'duplicate'; id: string }
  /** The dedup key is owned by job `id`: nothing was written. */
  | { status: 'deduplicated'; id: string }
  /** The delayed owner `replacedId` was removed and job `id` added in its place. */
  | { status: 'replaced'; id: string; replacedId: string };

/** A claim request from a worker. */
export interface ReserveRequest {
  workerId: string;
  /** At most this many leases (the worker's free slots). */
  max: number;
  /** Lease duration in ms. */
  leaseMs: number;
}

/** A granted lease on a job. */
export interface ReservedJob {
  job: JobRecord;
  /** The fencing token: every later transition of this attempt must present it. */
  token: string;
}

/** The result of a claim. */
export interface ReserveResult {
  jobs: ReservedJob[];
  /**
   * Set when a queue-global rate limit or concurrency limit held jobs back: the caller
   * should not ask again for this many ms.
   */
  limitedForMs?: number;
}

/** Identifies one lease. */
export interface LeaseRef {
  jobId: string;
  token: string;
}

/** `lost`: the token no longer holds the job. `cancelled`: held, but cancel was requested. */
export type ExtendResult = 'extended' | 'lost' | 'cancelled';

/**
 * How an attempt ended. Each is fenced by the lease token.
 *
 * A `retry` whose `runAt` is not a storable time (NaN, ±Infinity, or beyond
 * ±`MAX_STORED_TIME` = 8.64e15 ms, the last instant a JS `Date` holds) is applied as
 * `failed` instead: the job ends failed with an error named `RetryTimeError` whose
 * message gives the rule and the attempt's own error, and the result is `ok`. It is
 * not clamped: a retry 270,000 years away would leave the job delayed for good, which
 * hides the fault. Every backend does this per outcome (`storableSettlement`), so one
 * outcome never fails the settle call that carries others.
 */
export type Settlement =
  | (LeaseRef & { kind: 'completed'; result?: string })
  | (LeaseRef & { kind: 'retry'; runAt: number; error: JobErrorInfo })
  | (LeaseRef & { kind: 'failed'; error: JobErrorInfo })
  /** Handed back without running: no attempt counted, back to waiting at its old place. */
  | (LeaseRef & { kind: 'released' });

/** `ok`: applied. `lost`: the token no longer held the job; nothing was written. */
export type SettleResult = 'ok' | 'lost';

/** Stalled-recovery limits. */
export interface RecoverRequest {
  /** A job whose stall count would exceed this fails instead of returning to waiting. */
  maxStalls: number;
  /** At most this many expired leases per call. */
  limit: number;
}

/** Jobs whose lease had expired. */
export interface RecoverResult {
  /** Returned to waiting. */
  recovered: string[];
  /** Failed for exceeding `maxStalls`. */
  failed: string[];
}

/** Options of `waitForWork`. */
export interface WaitRequest {
  /** Aborting resolves the wait at once. */
  signal: AbortSignal;
  /** Resolve after this long even without a wake-up. */
  maxWaitMs: number;
}

/**
 * Producing, leasing and settling jobs: the hot path.
 *
 * Retention (`removeOnComplete` / `removeOnFail` in each job's `opts`) is applied by
 * `settle`, in the same atomic step where the backend allows it.
 */
export interface JobStore {
  /**
   * Pipelining hint for Workers: the fewest outcomes worth a settle call of their own.
   * A Worker with at least twice this many slots keeps two settle calls of half its
   * slots in flight, so the backend works on one batch while the worker runs the jobs
   * the other brought back; with fewer slots it keeps one call of all of them. Optional,
   * default 4. A backend whose calls have a high fixed cost (several statements each)
   * asks for more; an in-process backend, with nothing to overlap, for Infinity.
   */
  readonly minSettleBatch?: number;
  /** Adds jobs atomically per job (jobId idempotency and dedup included). */
  add(queue: string, jobs: NewJob[]): Promise<AddResult[]>;
  /**
   * Leases up to `max` jobs: highest priority first, FIFO (or LIFO) within a priority.
   * Promotes delayed jobs that are due; grants nothing while the queue is paused.
   */
  reserve(queue: string, req: ReserveRequest): Promise<ReserveResult>;
  /** Resolves when work may be available, on abort, or after `maxWaitMs`. */
  waitForWork(queue: string, req: WaitRequest): Promise<void>;
  /** Extends leases by `leaseMs` from now. */
  extend(queue: string, leases: LeaseRef[], leaseMs: number): Promise<ExtendResult[]>;
  /**
   * Applies outcomes in order; when `next` is given, also reserves for that request
   * after settling (one round trip where the backend can).
   */
  settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }>;
  /** Returns expired leases to waiting (stalls + 1), or fails them past `maxStalls`. */
  recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult>;
}

export type { JobErrorInfo, JobRecord, KeepPolicy, StoredJobOptions };
