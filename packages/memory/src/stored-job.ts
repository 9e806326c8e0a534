import type { JobErrorInfo, JobRecord, JobState, NewJob, StoredJobOptions } from '@mq/core';
import type { HeapItem } from './heap.js';
import type { ListNode } from './job-list.js';

/**
 * A job as the memory backend holds it: the contract's fields plus the bookkeeping of
 * the structure it sits in. Callers only ever see copies made by {@link toRecord}.
 */
export class StoredJob implements HeapItem, ListNode<StoredJob> {
  heapIndex = -1;
  prev: StoredJob | undefined = undefined;
  next: StoredJob | undefined = undefined;

  state: JobState;
  attemptsMade = 0;
  attemptsStarted = 0;
  stalls = 0;
  progress: string | undefined = undefined;
  result: string | undefined = undefined;
  error: JobErrorInfo | undefined = undefined;
  startedAt: number | undefined = undefined;
  /** `startedAt` before the current lease, restored when the lease is released unused. */
  prevStartedAt: number | undefined = undefined;
  finishedAt: number | undefined = undefined;
  workerId: string | undefined = undefined;
  leaseExpiresAt: number | undefined = undefined;
  token: string | undefined = undefined;
  cancelRequested = false;
  logs: string[] | undefined = undefined;
  /** FIFO/LIFO tie-breaker, precomputed: ascending `order` is the reservation order. */
  readonly order: number;

  constructor(
    readonly id: string,
    readonly queue: string,
    readonly name: string,
    /** Replaced only by `updateData`, while the job is queued. */
    public payload: string,
    readonly priority: number,
    readonly lifo: boolean,
    /** Frozen: records share it read-only. */
    readonly opts: Readonly<StoredJobOptions>,
    readonly dedupId: string | undefined,
    readonly createdAt: number,
    public runAt: number,
    /** Add order within the queue: the FIFO/LIFO tie-breaker. */
    readonly seq: number,
    state: JobState,
  ) {
    this.state = state;
    // LIFO jobs run newest first (negated sequence), FIFO ones oldest first.
    this.order = lifo ? -seq : seq;
  }
}

/** Builds the stored job for `job` (with `opts` from {@link freezeOpts}), added at `now`. */
export function createStoredJob(
  id: string,
  queue: string,
  job: NewJob,
  opts: Readonly<StoredJobOptions>,
  now: number,
  seq: number,
): StoredJob {
  const delayed = job.delay > 0;
  return new StoredJob(
    id,
    queue,
    job.name,
    job.payload,
    job.priority,
    job.lifo,
    opts,
    job.dedup?.id,
    now,
    delayed ? now + job.delay : now,
    seq,
    delayed ? 'delayed' : 'waiting',
  );
}

/** A caller-owned copy of the job: nothing in it aliases mutable backend state. */
export function toRecord(job: StoredJob): JobRecord {
  const rec: JobRecord = {
    id: job.id,
    queue: job.queue,
    name: job.name,
    payload: job.payload,
    state: job.state,
    priority: job.priority,
    lifo: job.lifo,
    opts: { ...job.opts },
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    stalls: job.stalls,
    createdAt: job.createdAt,
    runAt: job.runAt,
  };
  if (job.dedupId !== undefined) rec.dedupId = job.dedupId;
  if (job.progress !== undefined) rec.progress = job.progress;
  if (job.result !== undefined) rec.result = job.result;
  if (job.error !== undefined) rec.error = { ...job.error };
  if (job.startedAt !== undefined) rec.startedAt = job.startedAt;
  if (job.finishedAt !== undefined) rec.finishedAt = job.finishedAt;
  if (job.workerId !== undefined) rec.workerId = job.workerId;
  if (job.leaseExpiresAt !== undefined) rec.leaseExpiresAt = job.leaseExpiresAt;
  if (job.cancelRequested) rec.cancelRequested = true;
  return rec;
}

/** Copies an error so later changes by the caller cannot reach the stored one. */
export function copyError(error: JobErrorInfo): JobErrorInfo {
  const copy: JobErrorInfo = { name: error.name, message: error.message };
  if (error.stack !== undefined) copy.stack = error.stack;
  return copy;
}

/** Reservation order: priority desc, then LIFO jobs newest first, then FIFO by add order. */
export function waitingBefore(a: StoredJob, b: StoredJob): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.lifo !== b.lifo ? a.lifo : a.order < b.order;
}

/** Delayed order: soonest `runAt` first, add order on ties. */
export function delayedBefore(a: StoredJob, b: StoredJob): boolean {
  const ar = a.runAt;
  const br = b.runAt;
  return ar !== br ? ar < br : a.seq < b.seq;
}

/**
 * A frozen copy of `opts`, nested objects (backoff, keep policies) frozen copies too:
 * records then share it read-only, and fields core may add later are kept as they are.
 */
export function freezeOpts(opts: StoredJobOptions): Readonly<StoredJobOptions> {
  const copy: Record<string, unknown> = { ...opts };
  for (const key in copy) {
    const value = copy[key];
    if (value === undefined) delete copy[key];
    else if (typeof value === 'object' && value !== null) copy[key] = Object.freeze({ ...value });
  }
  return Object.freeze(copy) as unknown as StoredJobOptions;
}
