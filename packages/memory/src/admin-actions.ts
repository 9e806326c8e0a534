import type {
  CancelResult,
  CleanRequest,
  ObliterateResult,
  PromoteSelector,
  RetrySelector,
} from '@mq/core';
import type { QueueState } from './queue-state.js';
import { CANCELLED_ERROR, finishJob } from './settling.js';
import type { MemoryStore } from './store.js';
import type { StoredJob } from './stored-job.js';

/** Operator actions that move or delete jobs. Each is one synchronous (atomic) pass. */

/** Deletes the non-active jobs among `ids` (with their logs and owned dedup keys). */
export function removeJobs(q: QueueState, ids: readonly string[]): string[] {
  const removed: string[] = [];
  for (const id of ids) {
    const job = q.jobs.get(id);
    if (job === undefined || job.state === 'active') continue;
    q.deleteJob(job, true);
    removed.push(id);
  }
  return removed;
}

/** Failed/completed → waiting with attempts reset. */
export function retryJobs(store: MemoryStore, q: QueueState, sel: RetrySelector): string[] {
  const now = store.now();
  const picked: StoredJob[] = [];
  if ('ids' in sel) {
    for (const id of sel.ids) {
      const job = q.jobs.get(id);
      if (job !== undefined && (job.state === 'failed' || job.state === 'completed')) {
        picked.push(job);
      }
    }
  } else {
    const list = sel.state === 'failed' ? q.failed : q.completed;
    for (let job = list.head; job !== undefined && picked.length < sel.limit; job = job.next) {
      picked.push(job);
    }
  }
  for (const job of picked) {
    q.detach(job);
    job.attemptsMade = 0;
    job.attemptsStarted = 0;
    job.stalls = 0;
    job.error = undefined;
    job.result = undefined;
    job.finishedAt = undefined;
    job.cancelRequested = false;
    job.runAt = now;
    q.place(job, 'waiting');
  }
  if (picked.length > 0) store.wake(q.name);
  return picked.map((job) => job.id);
}

/** Delayed → waiting now; by ids, or the soonest `limit`. */
export function promoteJobs(store: MemoryStore, q: QueueState, sel: PromoteSelector): string[] {
  const now = store.now();
  const picked: StoredJob[] = [];
  if ('ids' in sel) {
    for (const id of sel.ids) {
      const job = q.jobs.get(id);
      if (job !== undefined && job.state === 'delayed') {
        q.delayed.remove(job);
        picked.push(job);
      }
    }
  } else {
    while (picked.length < sel.limit && q.delayed.size > 0) picked.push(q.delayed.pop()!);
  }
  for (const job of picked) {
    job.runAt = now;
    q.place(job, 'waiting');
  }
  if (picked.length > 0) store.wake(q.name);
  return picked.map((job) => job.id);
}

/**
 * Deletes up to `limit` jobs of `state` finished (or, unfinished, created) at or before
 * `now - graceMs` (the contract's boundary, see `QueueAdmin.clean`), oldest first. Finished
 * jobs keep a live ttl dedup key (as retention does); unfinished ones lose it (as
 * `remove` does).
 */
export function cleanJobs(store: MemoryStore, q: QueueState, req: CleanRequest): string[] {
  const cutoff = store.now() - req.graceMs;
  const picked: StoredJob[] = [];
  if (req.state === 'completed' || req.state === 'failed') {
    const list = req.state === 'completed' ? q.completed : q.failed;
    for (let job = list.head; job !== undefined && picked.length < req.limit; job = job.next) {
      if ((job.finishedAt as number) > cutoff) break;
      picked.push(job);
    }
  } else {
    const heap = req.state === 'waiting' ? q.waiting : q.delayed;
    const old = heap.items.filter((job) => job.createdAt <= cutoff);
    old.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    picked.push(...old.slice(0, Math.max(0, req.limit)));
  }
  const force = req.state === 'waiting' || req.state === 'delayed';
  for (const job of picked) q.deleteJob(job, force);
  return picked.map((job) => job.id);
}

/** Deletes every waiting job (and delayed ones when asked); returns how many. */
export function drainJobs(q: QueueState, includeDelayed: boolean): number {
  const gone = q.waiting.clear();
  if (includeDelayed) gone.push(...q.delayed.clear());
  for (const job of gone) {
    q.jobs.delete(job.id);
    q.dedup.release(job, true);
  }
  return gone.length;
}

/** Deletes the whole queue: jobs, logs, dedup keys, schedules, pause flag and limits. */
export function obliterateQueue(
  store: MemoryStore,
  queue: string,
  force: boolean,
): ObliterateResult {
  const q = store.peek(queue);
  if (q !== undefined && q.active.size > 0 && !force) {
    return { status: 'active', count: q.active.size };
  }
  store.queues.delete(queue);
  store.schedules.delete(queue);
  // Parked workers re-check (and find nothing): a spurious wake-up, but never a stuck one.
  store.wake(queue);
  return { status: 'ok' };
}

/** Waiting/delayed → failed as cancelled; active → flagged for its lease holder. */
export function cancelJob(store: MemoryStore, q: QueueState, id: string): CancelResult {
  const job = q.jobs.get(id);
  if (job === undefined) return 'not-cancellable';
  if (job.state === 'active') {
    job.cancelRequested = true;
    return 'signalled';
  }
  if (job.state !== 'waiting' && job.state !== 'delayed') return 'not-cancellable';
  q.detach(job);
  job.error = { ...CANCELLED_ERROR };
  finishJob(q, job, 'failed', store.now());
  return 'cancelled';
}
