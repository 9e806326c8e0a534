/**
 * The stored shape of a job, as every backend keeps it. Payloads and results cross the
 * contract as JSON text: core serializes once (and enforces the size limit there), so a
 * backend never needs to understand user data.
 */

/** Where a job is in its lifecycle. `paused` is a queue flag, not a job state. */
export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

/** Every job state, in lifecycle order. */
export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'delayed',
  'active',
  'completed',
  'failed',
] as const;

/**
 * How many finished jobs to keep: `true` removes at once, `false` keeps all, a number
 * keeps that many most recent, `{ age, count }` keeps those younger than `age` ms and at
 * most `count`.
 */
export type KeepPolicy = boolean | number | { age?: number; count?: number };

/** An error as recorded on a failed or retried attempt. */
export interface JobErrorInfo {
  /** The error's `name` (e.g. `TimeoutError`, `UnrecoverableError`). */
  name: string;
  message: string;
  stack?: string;
}

/** Backoff between attempts; `custom` names a strategy registered on the worker. */
export type BackoffSpec =
  | { type: 'fixed'; delay: number; jitter?: number }
  | { type: 'exponential'; delay: number; jitter?: number; maxDelay?: number }
  | { type: 'custom'; name: string; delay?: number };

/** The per-job options a backend stores with the job (already validated by core). */
export interface StoredJobOptions {
  /** Total attempts allowed (1 = no retries). */
  attempts: number;
  backoff?: BackoffSpec;
  /** Hard time limit per attempt, in ms. */
  timeout?: number;
  /** Retention applied by the backend when the job completes. */
  removeOnComplete: KeepPolicy;
  /** Retention applied by the backend when the job fails for good. */
  removeOnFail: KeepPolicy;
}

/** A job as a backend returns it from `get`, `list` and `reserve`. */
export interface JobRecord {
  id: string;
  queue: string;
  /** The task name, chosen by the producer. */
  name: string;
  /** JSON text of the payload. */
  payload: string;
  state: JobState;
  /** Higher runs first; 0 by default. */
  priority: number;
  /** LIFO within its priority. */
  lifo: boolean;
  opts: StoredJobOptions;
  /** Attempts that ended in a settlement (completed, retry or failed). */
  attemptsMade: number;
  /** Times the job was leased (stalled re-runs count here, not in `attemptsMade`). */
  attemptsStarted: number;
  /** Times the job's lease expired and the job was recovered. */
  stalls: number;
  /** Deduplication key that this job owns, if any. */
  dedupId?: string;
  /** JSON text of the last progress value. */
  progress?: string;
  /** JSON text of the result (completed jobs). */
  result?: string;
  /** The last attempt's error (failed or retried jobs). */
  error?: JobErrorInfo;
  /** ms epoch when added. */
  createdAt: number;
  /** ms epoch when the job becomes (or became) reservable. */
  runAt: number;
  /** ms epoch of the current or last lease grant. */
  startedAt?: number;
  /** ms epoch when completed or failed. */
  finishedAt?: number;
  /** The worker holding the current lease (active jobs). */
  workerId?: string;
  /** ms epoch when the current lease expires (active jobs). */
  leaseExpiresAt?: number;
  /** True once `cancel` was requested for this active job. */
  cancelRequested?: boolean;
}
