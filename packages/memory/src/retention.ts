import type { KeepPolicy } from '@mq/core';
import { keepRule } from '@mq/core/backend-kit';
import type { LinkedJobList } from './job-list.js';
import type { QueueState } from './queue-state.js';
import type { StoredJob } from './stored-job.js';

/** Age-based retention deletes at most this many jobs per settled job (bounded work). */
export const MAX_AGE_DELETIONS = 1000;

/**
 * Applies `policy` right after `job` finished into `list` (its state's finish-ordered
 * list), as `keepRule` decodes it: `removeNow` deletes the job, else it deletes those
 * finished before `now - age` (oldest first, bounded) and keeps at most `count`. Relies on
 * finish order being `finishedAt` order (the clock never goes back).
 */
export function applyRetention(
  q: QueueState,
  list: LinkedJobList<StoredJob>,
  job: StoredJob,
  policy: KeepPolicy,
  now: number,
): void {
  const rule = keepRule(policy);
  if (rule.removeNow) {
    q.deleteJob(job, false);
    return;
  }
  if (rule.age !== undefined) {
    const cutoff = now - rule.age;
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
  if (rule.count !== undefined) trimToCount(q, list, rule.count);
}

function trimToCount(q: QueueState, list: LinkedJobList<StoredJob>, keep: number): void {
  while (list.size > keep && list.head !== undefined) q.deleteJob(list.head, false);
}
