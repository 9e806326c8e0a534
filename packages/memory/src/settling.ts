import {
  type RecoverRequest,
  type RecoverResult,
  type Settlement,
  type SettleResult,
  storableSettlement,
} from '@mq/core';
import type { QueueState } from './queue-state.js';
import { applyRetention } from './retention.js';
import type { MemoryStore } from './store.js';
import { copyError, type StoredJob } from './stored-job.js';

import { CANCELLED_ERROR, STALLED_ERROR } from '@mq/core/backend-kit';

export { CANCELLED_ERROR, STALLED_ERROR };

/** Ends the current lease: the old token stops working at once. */
function clearLease(q: QueueState, job: StoredJob): void {
  q.active.unlink(job);
  job.token = undefined;
  job.workerId = undefined;
  job.leaseExpiresAt = undefined;
}

/**
 * Moves `job` (already out of its structure) to completed or failed at `now`: releases a
 * ttl-less dedup key and applies the job's own retention policy for that state.
 */
export function finishJob(
  q: QueueState,
  job: StoredJob,
  state: 'completed' | 'failed',
  now: number,
): void {
  job.finishedAt = now;
  q.place(job, state);
  q.dedup.release(job, false);
  if (state === 'completed') applyRetention(q, q.completed, job, job.opts.removeOnComplete, now);
  else applyRetention(q, q.failed, job, job.opts.removeOnFail, now);
}

/** `settle`: each outcome fenced by its token, the batch applied in one synchronous pass. */
export function settleOutcomes(
  store: MemoryStore,
  queue: string,
  outcomes: readonly Settlement[],
): SettleResult[] {
  const q = store.peek(queue);
  const results: SettleResult[] = new Array(outcomes.length);
  if (q === undefined) return results.fill('lost');
  const now = store.now();
  const earliestDelayed = q.delayed.peek();
  const activeBefore = q.active.size;
  let wake = false;
  for (let i = 0; i < outcomes.length; i++) {
    // A retry time no backend can store fails the job instead (see Settlement).
    const o = storableSettlement(outcomes[i] as Settlement);
    const job = q.jobs.get(o.jobId);
    if (job === undefined || job.state !== 'active' || job.token !== o.token) {
      results[i] = 'lost';
      continue;
    }
    clearLease(q, job);
    results[i] = 'ok';
    switch (o.kind) {
      case 'completed':
        job.attemptsMade++;
        job.result = o.result;
        finishJob(q, job, 'completed', now);
        break;
      case 'failed':
        job.attemptsMade++;
        job.error = copyError(o.error);
        finishJob(q, job, 'failed', now);
        break;
      case 'retry':
        job.attemptsMade++;
        job.error = copyError(o.error);
        job.runAt = o.runAt;
        if (o.runAt <= now) {
          q.place(job, 'waiting');
          wake = true;
        } else {
          q.place(job, 'delayed');
        }
        break;
      case 'released':
        job.attemptsStarted--;
        job.startedAt = job.prevStartedAt;
        q.place(job, 'waiting');
        wake = true;
        break;
    }
  }
  // A freed slot matters to parked workers only under a global concurrency limit.
  if (q.concurrency !== undefined && q.active.size < activeBefore) wake = true;
  if (wake || q.delayed.peek() !== earliestDelayed) store.wake(queue);
  return results;
}

/** `recoverExpired`: expired leases back to waiting (stalls + 1), or failed past maxStalls. */
export function recoverExpired(
  store: MemoryStore,
  queue: string,
  req: RecoverRequest,
): RecoverResult {
  const result: RecoverResult = { recovered: [], failed: [] };
  const q = store.peek(queue);
  if (q === undefined) return result;
  const now = store.now();
  let next = q.active.head;
  while (next !== undefined && result.recovered.length + result.failed.length < req.limit) {
    const job = next;
    next = job.next;
    if ((job.leaseExpiresAt as number) >= now) continue;
    clearLease(q, job);
    job.stalls++;
    if (job.stalls > req.maxStalls) {
      job.error = { ...STALLED_ERROR };
      finishJob(q, job, 'failed', now);
      result.failed.push(job.id);
    } else {
      q.place(job, 'waiting');
      result.recovered.push(job.id);
    }
  }
  if (result.recovered.length > 0 || (result.failed.length > 0 && q.concurrency !== undefined)) {
    store.wake(queue);
  }
  return result;
}
