import type { KeepPolicy } from '@mq/core';
import type { LinkedJobList } from './job-list.js';
import type { QueueState } from './queue-state.js';
import type { StoredJob } from './stored-job.js';

/** Age-based retention deletes at most this many jobs per settled job (bounded work). */
export const MAX_AGE_DELETIONS = 1000;

/**
 * Applies `policy` right after `job` finished into `list` (its state's finish-ordered
 * list): `true` deletes the job, a number keeps that many most recent, `{ age, count }`
 * deletes those finished before `now - age` (oldest first, bounded) and keeps at most
 * `count`. Relies on finish order being `finishedAt` order (the clock never goes back).
 */
export function applyRetention(
  q: QueueState,
  list: LinkedJobList<StoredJob>,
  job: StoredJob,
  policy: KeepPolicy,
  now: number,
): void {
  if (policy === false) return;
  if (policy === true) {
    q.deleteJob(job, false);
    return;
  }
  if (typeof policy === 'number') {
    trimToCount(q, list, policy);
    return;
  }
  if (policy.age !== undefined) {
    const cutoff = now - policy.age;
    let deleted = 0;
    for (
      let head = list.head;
      head !== undefined && deleted < MAX_AGE_DELETIONS;
      head = list.head
    ) {
      if ((head.finishedAt as number) >= cutoff) break;
      q.deleteJob(head, false);
      deleted++;
    }
  }
  if (policy.count !== undefined) trimToCount(q, list, policy.count);
}

function trimToCount(q: QueueState, list: LinkedJobList<StoredJob>, keep: number): void {
  while (list.size > keep && list.head !== undefined) q.deleteJob(list.head, false);
}
