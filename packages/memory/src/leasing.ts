import type { ExtendResult, LeaseRef, ReservedJob, ReserveRequest, ReserveResult } from '@mq/core';
import type { QueueState } from './queue-state.js';
import type { MemoryStore } from './store.js';
import { toRecord } from './stored-job.js';

/** `limitedForMs` when the global concurrency limit held jobs back: a retry hint. */
export const CONCURRENCY_RETRY_MS = 50;

/**
 * Moves delayed jobs due at `now` to waiting. Parked workers need no wake-up for this:
 * their timers were armed for the earliest due time already.
 */
export function promoteDue(q: QueueState, now: number): void {
  for (let top = q.delayed.peek(); top !== undefined && top.runAt <= now; top = q.delayed.peek()) {
    q.delayed.pop();
    q.place(top, 'waiting');
  }
}

/** `reserve`: promote due delayed jobs, then lease up to `max` within the global limits. */
export function reserveJobs(store: MemoryStore, queue: string, req: ReserveRequest): ReserveResult {
  const q = store.peek(queue);
  if (q === undefined || q.paused) return { jobs: [] };
  const now = store.now();
  promoteDue(q, now);
  const available = q.waiting.size;
  if (available === 0 || req.max <= 0) return { jobs: [] };

  let grant = Math.min(req.max, available);
  let limitedForMs: number | undefined;
  const rate = q.rate;
  if (rate !== undefined) {
    if (now >= q.windowStart + rate.duration) {
      q.windowStart = now;
      q.windowGrants = 0;
    }
    const left = Math.max(0, rate.max - q.windowGrants);
    if (left < grant) {
      grant = left;
      limitedForMs = Math.max(1, q.windowStart + rate.duration - now);
    }
  }
  if (q.concurrency !== undefined) {
    const left = Math.max(0, q.concurrency - q.active.size);
    if (left < grant) {
      grant = left;
      limitedForMs ??= CONCURRENCY_RETRY_MS;
    }
  }

  const jobs: ReservedJob[] = new Array(grant);
  for (let i = 0; i < grant; i++) {
    const job = q.waiting.pop()!;
    job.attemptsStarted++;
    job.prevStartedAt = job.startedAt;
    job.startedAt = now;
    job.workerId = req.workerId;
    job.leaseExpiresAt = now + req.leaseMs;
    const token = store.newToken();
    job.token = token;
    q.place(job, 'active');
    jobs[i] = { job: toRecord(job), token };
  }
  if (rate !== undefined) q.windowGrants += grant;
  return limitedForMs === undefined ? { jobs } : { jobs, limitedForMs };
}

/** `extend`: fenced by token; `cancelled` tells the holder an operator asked it to stop. */
export function extendLeases(
  store: MemoryStore,
  queue: string,
  leases: readonly LeaseRef[],
  leaseMs: number,
): ExtendResult[] {
  const q = store.peek(queue);
  const now = store.now();
  return leases.map((lease): ExtendResult => {
    const job = q?.jobs.get(lease.jobId);
    if (
      q === undefined ||
      job === undefined ||
      job.state !== 'active' ||
      job.token !== lease.token
    ) {
      return 'lost';
    }
    job.leaseExpiresAt = now + leaseMs;
    return job.cancelRequested ? 'cancelled' : 'extended';
  });
}

/**
 * ms until a reserve could grant something (0 = now), or Infinity when only an event
 * can change that (an add, a resume, a settle freeing a concurrency slot).
 */
export function msUntilReservable(q: QueueState | undefined, now: number): number {
  if (q === undefined || q.paused) return Number.POSITIVE_INFINITY;
  let at = q.waiting.size > 0 ? now : (q.delayed.peek()?.runAt ?? Number.POSITIVE_INFINITY);
  if (at === Number.POSITIVE_INFINITY) return at;
  if (q.concurrency !== undefined && q.active.size >= q.concurrency) {
    return Number.POSITIVE_INFINITY;
  }
  const rate = q.rate;
  if (rate !== undefined && q.windowGrants >= rate.max) {
    const windowEnd = q.windowStart + rate.duration;
    if (windowEnd > now) at = Math.max(at, windowEnd);
  }
  return Math.max(0, at - now);
}
