import type { RetentionRequest, RetentionResult } from '@mq/core';
import { keepRule, keepRuleRemoves } from '@mq/core/backend-kit';
import type { QueueState } from './queue-state.js';
import type { StoredJob } from './stored-job.js';

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
    if (keepRuleRemoves(keepRule(policy), job.finishedAt as number, newer, now)) removed.push(job);
  });
  for (const job of removed) q.deleteJob(job, false);
  return { removed: removed.map((j) => j.id), examined: page.length };
}
