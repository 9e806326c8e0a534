import type { JobRecord, JobState, KeepPolicy } from '@mq/core';
import { keepRule, parseStoredOptions } from '@mq/core/backend-kit';

/** A job as selected from the table (or the `job_out` composite). */
export interface JobRow {
  id: string;
  state: string;
  name: string;
  payload: string;
  priority: number;
  lifo: boolean;
  opts: string;
  attempts_made: number;
  attempts_started: number;
  stalls: number;
  dedup_id: string | null;
  progress: string | null;
  result: string | null;
  error: string | null;
  created_at: number;
  run_at: number;
  started_at: number | null;
  finished_at: number | null;
  worker_id: string | null;
  lease_expires_at: number | null;
  token: string | null;
  cancel_requested: boolean;
}

/** The column list matching {@link JobRow}, for `SELECT ${JOB_COLUMNS} FROM jobs`. */
export const JOB_COLUMNS = `id, state, name, payload, priority, lifo, opts, attempts_made,
  attempts_started, stalls, dedup_id, progress, result, error, created_at, run_at, started_at,
  finished_at, worker_id, lease_expires_at, token, cancel_requested`;

/** Maps a row to the contract's record (optional fields only when set). */
export function toJobRecord(queue: string, r: JobRow): JobRecord {
  const job: JobRecord = {
    id: r.id,
    queue,
    name: r.name,
    payload: r.payload,
    state: r.state as JobState,
    priority: r.priority,
    lifo: r.lifo,
    opts: parseStoredOptions(r.opts),
    attemptsMade: r.attempts_made,
    attemptsStarted: r.attempts_started,
    stalls: r.stalls,
    createdAt: r.created_at,
    runAt: r.run_at,
  };
  if (r.dedup_id !== null) job.dedupId = r.dedup_id;
  if (r.progress !== null) job.progress = r.progress;
  if (r.result !== null) job.result = r.result;
  if (r.error !== null) job.error = JSON.parse(r.error) as JobRecord['error'];
  if (r.started_at !== null) job.startedAt = r.started_at;
  if (r.finished_at !== null) job.finishedAt = r.finished_at;
  if (r.worker_id !== null) job.workerId = r.worker_id;
  if (r.lease_expires_at !== null) job.leaseExpiresAt = r.lease_expires_at;
  if (r.cancel_requested) job.cancelRequested = true;
  return job;
}

/**
 * A retention policy as two columns: `count` -1 = remove at once (`true`), n = keep the
 * n most recent, null = no count limit; `age` in ms or null. Both are bounded to what
 * the columns hold (`storableCount` ≤ 2³¹ − 1 for the integer count, `storableDuration`
 * for the bigint age): a larger value keeps as much as any store could hold, where the
 * raw number would fail the whole add statement.
 */
export function encodeKeep(p: KeepPolicy): { age: number | null; count: number | null } {
  const rule = keepRule(p);
  if (rule.removeNow) return { age: null, count: -1 };
  return { age: rule.age ?? null, count: rule.count ?? null };
}
