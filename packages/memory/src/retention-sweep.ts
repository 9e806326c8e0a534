import type { KeepPolicy, RetentionRequest, RetentionResult } from '@mq/core';
import type { QueueState } from './queue-state.js';
import type { StoredJob } from './stored-job.js';

/**
 * True when `policy`, the job's own, removes a job that finished at `finishedAt` with
 * `newer` jobs of its state finished after it (see `QueueAdmin.applyRetention`).
 */
export function policyRemoves(
  policy: KeepPolicy,
  finishedAt: number,
  newer: number,
  now: number,
): boolean {
  if (policy === false) return false;
  if (policy === true) return true;
  if (typeof policy === 'number') return newer >= policy;
  if (policy.age !== undefined && finishedAt < now - policy.age) return true;
  return policy.count !== undefined && newer >= policy.count;
}

/** `QueueAdmin.applyRetention` over the state's finish-ordered list, in one pass. */
export function applyOwnRetention(
  q: QueueState,
  req: RetentionRequest,
  now: number,
): RetentionResult {
  const list = req.state === 'completed' ? q.completed : q.failed;
  const total = list.size;
  const from = Math.max(0, req.offset);
  const page = list.page('asc', from, Math.max(0, req.limit));
  const removed: StoredJob[] = [];
  page.forEach((job, i) => {
    const policy = req.state === 'completed' ? job.opts.removeOnComplete : job.opts.removeOnFail;
    // Removing older jobs first never changes how many finished after a later one.
    const newer = total - 1 - (from + i);
    if (policyRemoves(policy, job.finishedAt as number, newer, now)) removed.push(job);
  });
  for (const job of removed) q.deleteJob(job, false);
  return { removed: removed.map((j) => j.id), examined: page.length };
}
