import type { JobRecord, JobState } from './job-record.js';

/** Exact job counts per state. */
export type JobCounts = Record<JobState, number>;

/** A page of jobs in one state. */
export interface ListRequest {
  state: JobState;
  /** Default 0. */
  offset: number;
  /** Default 100. */
  limit: number;
  /**
   * `asc`: the order the state is consumed or happened in (waiting: next to run first;
   * delayed: soonest first; completed/failed: oldest finished first). `desc`: reversed.
   */
  order: 'asc' | 'desc';
}

/** Which jobs `retry` moves back to waiting. */
export type RetrySelector = { ids: string[] } | { state: 'failed' | 'completed'; limit: number };

/** Which delayed jobs `promote` makes waiting now. */
export type PromoteSelector = { ids: string[] } | { limit: number };

/**
 * Jobs in `state` whose time — finish time (`finishedAt`) for completed and failed jobs,
 * creation time (`createdAt`) for waiting and delayed ones — is at or before
 * `now - graceMs`, `now` being the store's clock when `clean` runs. The boundary is
 * inclusive: with `graceMs` 0 every job finished up to and including the current ms is
 * removed, on every backend.
 */
export interface CleanRequest {
  state: Exclude<JobState, 'active'>;
  graceMs: number;
  limit: number;
}

/**
 * One bounded pass of {@link QueueAdmin.applyRetention}: the finished jobs of `state`
 * from the oldest, skipping `offset` of them (those earlier passes kept), examining at
 * most `limit`.
 */
export interface RetentionRequest {
  state: 'completed' | 'failed';
  /** Oldest jobs of the state to skip. Default 0. */
  offset: number;
  /** Jobs to examine (not remove) at most. */
  limit: number;
}

/** What one {@link QueueAdmin.applyRetention} pass did. */
export interface RetentionResult {
  /** Jobs removed, oldest finished first. */
  removed: string[];
  /** Jobs examined, removed or kept; fewer than `limit` means the state was exhausted. */
  examined: number;
}

/** Result of `updateData`. */
export type UpdateDataResult =
  | { status: 'updated' }
  /** No such job, or the id now names a job of another task. */
  | { status: 'not-found' }
  /** Active or finished: only a queued (waiting or delayed) job's data may change. */
  | { status: 'not-updatable'; state: JobState };

/** Result of `cancel`. */
export type CancelResult =
  /** Waiting or delayed: failed at once with a cancellation error. */
  | 'cancelled'
  /** Active: flagged; the lease holder learns it on its next extend. */
  | 'signalled'
  /** Already finished, or no such job. */
  | 'not-cancellable';

/** Result of `obliterate`. */
export type ObliterateResult = { status: 'ok' } | { status: 'active'; count: number };

/** Queue administration: inspection and operator actions. */
export interface QueueAdmin {
  /** Exact counts per state, without scanning payloads. */
  counts(queue: string): Promise<JobCounts>;
  get(queue: string, id: string): Promise<JobRecord | null>;
  list(queue: string, req: ListRequest): Promise<JobRecord[]>;
  /** Removes jobs that are not active; returns the ids removed. */
  remove(queue: string, ids: string[]): Promise<string[]>;
  /** Moves failed (or completed) jobs back to waiting with attempts reset; returns ids. */
  retry(queue: string, sel: RetrySelector): Promise<string[]>;
  /** Makes delayed jobs waiting now; returns ids. */
  promote(queue: string, sel: PromoteSelector): Promise<string[]>;
  /**
   * Removes up to `limit` jobs in `state` finished (waiting/delayed: created) at or
   * before `now - graceMs` (inclusive: `≤`, see {@link CleanRequest}), oldest first;
   * returns their ids.
   */
  clean(queue: string, req: CleanRequest): Promise<string[]>;
  /**
   * Applies each finished job's *own* stored policy (`opts.removeOnComplete` for
   * completed jobs, `opts.removeOnFail` for failed ones), as housekeeping does for a
   * queue that went quiet: a job is removed only when its policy says so, never by an
   * age or count chosen by the caller. A job is removed when its policy is `true`; when
   * its `age` is set and it finished more than `age` ms ago (`finishedAt < now - age`);
   * or when its `count` (a number policy is a count) is set and at least `count` jobs
   * of the same state finished after it. `false` keeps the job. Jobs are examined in
   * finish order, oldest first; a ttl dedup key of a removed job stays to run out.
   */
  applyRetention(queue: string, req: RetentionRequest): Promise<RetentionResult>;
  /** Removes waiting jobs (and delayed ones when asked); returns how many. */
  drain(queue: string, includeDelayed: boolean): Promise<number>;
  /** Removes everything of the queue, refusing while jobs are active unless forced. */
  obliterate(queue: string, force: boolean): Promise<ObliterateResult>;
  setPaused(queue: string, paused: boolean): Promise<void>;
  isPaused(queue: string): Promise<boolean>;
  /** Stores progress (JSON text) if `token` still holds the job. */
  setProgress(queue: string, id: string, token: string, progress: string): Promise<boolean>;
  /** Appends a log line if `token` still holds the job; keeps at most `keep` lines. */
  addLog(queue: string, id: string, token: string, line: string, keep: number): Promise<boolean>;
  getLogs(queue: string, id: string, offset: number, limit: number): Promise<string[]>;
  /** The job currently owning a dedup key, if the key is live. */
  getDedupOwner(queue: string, dedupId: string): Promise<string | null>;
  removeDedupKey(queue: string, dedupId: string): Promise<boolean>;
  cancel(queue: string, id: string): Promise<CancelResult>;
  /**
   * Replaces the payload (JSON text, validated by core) of job `id` if it is waiting or
   * delayed and still of task `name` — one conditional write, so a job a worker leases
   * meanwhile is never changed under it. Nothing else of the job changes (its place in
   * the order, options, attempts, dedup key).
   */
  updateData(queue: string, id: string, name: string, payload: string): Promise<UpdateDataResult>;
  /**
   * Queue-global limits enforced by `reserve` (capabilities `globalRateLimit` and
   * `globalConcurrency`); `null` removes a limit.
   */
  setGlobalLimits(
    queue: string,
    limits: { rate?: { max: number; duration: number } | null; concurrency?: number | null },
  ): Promise<void>;
  /** Every queue the backend holds data for. */
  listQueues(): Promise<string[]>;
}
