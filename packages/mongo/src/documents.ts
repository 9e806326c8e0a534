import type { JobErrorInfo, JobRecord, JobState, StoredJobOptions } from '@mq/core';

/**
 * Stored job states. Waiting and delayed jobs share `queued`: whether one is delayed is
 * `runAt > now`, so a due delayed job is claimed by the same query as a waiting one and
 * no process has to promote it.
 */
export type StoredState = 'queued' | 'active' | 'completed' | 'failed';

/** A job document in `<prefix>_jobs`. `_id` is `<queue>|<id>` (queue names have no `|`). */
export interface JobDoc {
  _id: string;
  q: string;
  id: string;
  name: string;
  payload: string;
  st: StoredState;
  pri: number;
  lifo: boolean;
  /** Claim order within a priority: add sequence, negated for LIFO jobs (they go first). */
  ord: number;
  opts: StoredJobOptions;
  am: number;
  as: number;
  stalls: number;
  dedupId?: string;
  progress?: string;
  result?: string;
  error?: JobErrorInfo;
  createdAt: number;
  runAt: number;
  startedAt?: number;
  /** Start of the current lease; renamed to `startedAt` when the attempt ends, dropped on release. */
  ls?: number;
  fin?: number;
  /** Finish order (see `FinishClock`): retention counts and finished-job lists sort by it. */
  fs?: number;
  workerId?: string;
  leaseExp?: number;
  /** The current lease token (active jobs only). */
  token?: string;
  /** The token of the lease that last settled the job: how a batch settle learns what it applied. */
  lt?: string;
  cancel?: boolean;
  logs?: string[];
}

/** The `_id` of job `id` of `queue`. */
export function jobKey(queue: string, id: string): string {
  return `${queue}|${id}`;
}

/** The contract's state of a stored job at `now`. */
export function stateOf(doc: Pick<JobDoc, 'st' | 'runAt'>, now: number): JobState {
  if (doc.st === 'queued') return doc.runAt > now ? 'delayed' : 'waiting';
  return doc.st;
}

/** The contract's record of a job document. */
export function toRecord(doc: JobDoc, now: number): JobRecord {
  const rec: JobRecord = {
    id: doc.id,
    queue: doc.q,
    name: doc.name,
    payload: doc.payload,
    state: stateOf(doc, now),
    priority: doc.pri,
    lifo: doc.lifo,
    opts: doc.opts,
    attemptsMade: doc.am,
    attemptsStarted: doc.as,
    stalls: doc.stalls,
    createdAt: doc.createdAt,
    runAt: doc.runAt,
  };
  if (doc.dedupId != null) rec.dedupId = doc.dedupId;
  if (doc.progress != null) rec.progress = doc.progress;
  if (doc.result != null) rec.result = doc.result;
  if (doc.error != null) rec.error = copyError(doc.error);
  if (doc.st === 'active' && doc.ls != null) rec.startedAt = doc.ls;
  else if (doc.startedAt != null) rec.startedAt = doc.startedAt;
  if (doc.fin != null) rec.finishedAt = doc.fin;
  if (doc.st === 'active') {
    if (doc.workerId != null) rec.workerId = doc.workerId;
    if (doc.leaseExp != null) rec.leaseExpiresAt = doc.leaseExp;
  }
  if (doc.cancel === true) rec.cancelRequested = true;
  return rec;
}

/** A plain copy of an error (stack only when present). */
export function copyError(e: JobErrorInfo): JobErrorInfo {
  const out: JobErrorInfo = { name: e.name, message: e.message };
  if (e.stack != null) out.stack = e.stack;
  return out;
}

/** A dedup key document in `<prefix>_dedup`; `_id` is `<queue>|<dedupId>`. */
export interface DedupDoc {
  _id: string;
  q: string;
  owner: string;
  /** ms epoch when a ttl key expires; null for a simple key (live while its owner is unfinished). */
  exp: number | null;
  createdAt: number;
}

/** Per-queue document in `<prefix>_meta`; `_id` is `q|<queue>`. */
export interface MetaDoc {
  _id: string;
  q: string;
  /** Last add sequence handed out (job ids and claim order). */
  seq?: number;
  /** Last event sequence handed out. */
  eseq?: number;
  paused?: boolean;
}
