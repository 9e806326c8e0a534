import type { Backend } from '@mq/core';
import { type Static, Type } from '@sinclair/typebox';
import { assertConfirmed, batches } from '../confirm.js';
import { defineOperation, pick } from '../define.js';
import { fingerprint } from '../fingerprint.js';
import {
  ChangedSchema,
  Confirmable,
  JobIds,
  MutationResult,
  QueueTarget,
  Reason,
  Req,
} from '../schemas.js';
import { FAILURE_SCAN_MAX, readFailed } from './other-views.js';

/** Which failed (or completed) jobs a retry takes. */
const RetrySelection = Type.Union([
  Type.Object({ ids: JobIds }, { additionalProperties: false }),
  Type.Object(
    {
      state: Type.Union([Type.Literal('failed'), Type.Literal('completed')]),
      limit: Type.Integer({ minimum: 1, maximum: 100_000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      /** An error group of `failures.groups`. */
      fingerprint: Type.String({ pattern: '^[0-9a-f]{12}$' }),
      limit: Type.Integer({ minimum: 1, maximum: FAILURE_SCAN_MAX }),
    },
    { additionalProperties: false },
  ),
]);

/** The ids a selection names now (and whether the count is exact). */
async function select(
  backend: Backend,
  queue: string,
  sel: Static<typeof RetrySelection>,
): Promise<{ ids: string[] | null; count: number }> {
  if ('ids' in sel) {
    const recs = await Promise.all(sel.ids.map((id) => backend.admin.get(queue, id)));
    const ids = recs
      .filter((r) => r && (r.state === 'failed' || r.state === 'completed'))
      .map((r) => r!.id);
    return { ids, count: ids.length };
  }
  if ('state' in sel) {
    const c = await backend.admin.counts(queue);
    return { ids: null, count: Math.min(sel.limit, c[sel.state]) };
  }
  const failed = await readFailed(backend, queue, FAILURE_SCAN_MAX);
  const ids = failed
    .filter(
      (j) =>
        fingerprint(j.error ?? { name: 'Error', message: '(no error recorded)' }).id ===
        sel.fingerprint,
    )
    .slice(0, sel.limit)
    .map((j) => j.id);
  return { ids, count: ids.length };
}

/** Moves failed (or completed) jobs back to waiting: by ids, oldest of a state, or error group. */
export const retryJobs = defineOperation({
  id: 'jobs.retry',
  summary: 'Retry failed (or completed) jobs by ids, by state and limit, or by error group.',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/jobs/retry' },
  request: Req({ ...QueueTarget, select: RetrySelection, reason: Reason, ...Confirmable }),
  result: MutationResult,
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    const sel = await select(backend, req.queue, req.select);
    if (req.dryRun)
      return {
        dryRun: true as const,
        count: sel.count,
        exact: true,
        sample: (sel.ids ?? []).slice(0, 10),
      };
    // Ids are explicit; a filter or group must be confirmed by its count.
    if (!('ids' in req.select)) assertConfirmed('retry', sel.count, req.confirmCount);
    const q = ctx.queue(name, req.queue);
    const by = ctx.action(req.reason);
    const ids: string[] = [];
    if (sel.ids === null) {
      const s = req.select as { state: 'failed' | 'completed' };
      let left = Math.min(sel.count, req.confirmCount ?? sel.count);
      while (left > 0) {
        const got = await q.retryJobs({ state: s.state, limit: Math.min(500, left) }, by);
        ids.push(...got);
        left -= got.length;
        if (got.length === 0) break;
      }
    } else for (const b of batches(sel.ids, 500)) ids.push(...(await q.retryJobs({ ids: b }, by)));
    return { dryRun: false as const, count: ids.length, ids };
  },
});

/**
 * Canary retry: retry `size` jobs of a selection, wait for them to settle, and go on in
 * waves only while the re-failure rate stays at or under `maxFailureRate` — the guide's
 * "retry a controlled subset first, expand only after the error rate stabilizes".
 */
export const canaryRetry = defineOperation({
  id: 'jobs.canaryRetry',
  summary:
    'Retry a small wave, wait, and continue in waves only while the re-failure rate stays low.',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/jobs/canary-retry' },
  request: Req({
    ...QueueTarget,
    select: RetrySelection,
    size: Type.Integer({ minimum: 1, maximum: 1000, description: 'Jobs per wave.' }),
    waves: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 1 })),
    /** 0..1: stop when more than this share of a wave fails again. Default 0.1. */
    maxFailureRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** How long to wait for a wave to settle, ms. Default 10,000; at most 60,000. */
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    reason: Reason,
  }),
  result: Type.Object({
    dryRun: Type.Literal(false),
    count: Type.Integer(),
    waves: Type.Array(
      Type.Object({
        ids: Type.Array(Type.String()),
        completed: Type.Integer(),
        failed: Type.Integer(),
        pending: Type.Integer(),
      }),
    ),
    stopped: Type.Union([
      Type.Literal('done'),
      Type.Literal('failure-rate'),
      Type.Literal('unsettled'),
      Type.Literal('exhausted'),
    ]),
  }),
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    const sel = await select(backend, req.queue, req.select);
    const q = ctx.queue(name, req.queue);
    const maxRate = req.maxFailureRate ?? 0.1;
    const waitMs = req.waitMs ?? 10_000;
    const pool = sel.ids ? [...sel.ids] : null;
    const by = ctx.action(req.reason);
    const waves: { ids: string[]; completed: number; failed: number; pending: number }[] = [];
    let stopped: 'done' | 'failure-rate' | 'unsettled' | 'exhausted' = 'done';
    for (let w = 0; w < (req.waves ?? 1); w++) {
      const ids = pool
        ? pool.length > 0
          ? await q.retryJobs({ ids: pool.splice(0, req.size) }, by)
          : []
        : await q.retryJobs(
            { state: (req.select as { state: 'failed' | 'completed' }).state, limit: req.size },
            by,
          );
      if (ids.length === 0) {
        stopped = 'exhausted';
        break;
      }
      const wave = await settleWave(backend, req.queue, ids, waitMs);
      waves.push({ ids, ...wave });
      if (wave.pending > 0) {
        stopped = 'unsettled';
        break;
      }
      if (wave.failed / ids.length > maxRate) {
        stopped = 'failure-rate';
        break;
      }
    }
    return {
      dryRun: false as const,
      count: waves.reduce((n, w) => n + w.ids.length, 0),
      waves,
      stopped,
    };
  },
});

/** Polls the wave's jobs until each finished again or `waitMs` passed. */
async function settleWave(
  backend: Backend,
  queue: string,
  ids: string[],
  waitMs: number,
): Promise<{ completed: number; failed: number; pending: number }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const recs = await Promise.all(ids.map((id) => backend.admin.get(queue, id)));
    // A job removed by its own retention after completing counts as completed.
    const completed = recs.filter((r) => r === null || r.state === 'completed').length;
    const failed = recs.filter((r) => r?.state === 'failed').length;
    const pending = ids.length - completed - failed;
    if (pending === 0 || Date.now() >= deadline) return { completed, failed, pending };
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(1, deadline - Date.now()))));
  }
}

/** Makes delayed jobs waiting now. */
export const promoteJobs = defineOperation({
  id: 'jobs.promote',
  summary: 'Promote delayed jobs (by ids, or the soonest N) to waiting now.',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/jobs/promote' },
  request: Req({
    ...QueueTarget,
    ids: Type.Optional(JobIds),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    reason: Reason,
  }),
  result: ChangedSchema,
  async run(ctx, req) {
    const { name } = pick(ctx, req.backend);
    const q = ctx.queue(name, req.queue);
    const ids = req.ids
      ? await q.promoteJobs({ ids: req.ids }, ctx.action(req.reason))
      : await q.promoteJobs({ limit: req.limit ?? 1 }, ctx.action(req.reason));
    return { dryRun: false as const, count: ids.length, ids };
  },
});

/** Removes jobs that are not active. */
export const removeJobs = defineOperation({
  id: 'jobs.remove',
  summary: 'Remove jobs by ids (active jobs are skipped).',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/jobs/remove' },
  request: Req({ ...QueueTarget, ids: JobIds, reason: Reason }),
  result: ChangedSchema,
  async run(ctx, req) {
    const { backend } = pick(ctx, req.backend);
    const ids: string[] = [];
    for (const b of batches(req.ids, 500)) ids.push(...(await backend.admin.remove(req.queue, b)));
    if (ids.length > 0)
      await backend.events.publish(
        req.queue,
        // One publish for the batch (Queue.removeJob publishes one per call), with the
        // same actor and reason data as the Queue's own events.
        ids.map((jobId) => ({
          type: 'removed' as const,
          jobId,
          at: Date.now(),
          data: { ...ctx.action(req.reason) },
        })),
      );
    return { dryRun: false as const, count: ids.length, ids };
  },
});

/** Cancels jobs: queued ones fail at once, active ones are signalled. */
export const cancelJobs = defineOperation({
  id: 'jobs.cancel',
  summary: 'Cancel jobs by ids (queued: failed at once; active: signalled).',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/jobs/cancel' },
  request: Req({ ...QueueTarget, ids: JobIds, reason: Reason }),
  result: Type.Object({
    dryRun: Type.Literal(false),
    count: Type.Integer(),
    results: Type.Record(Type.String(), Type.String()),
  }),
  async run(ctx, req) {
    const { name } = pick(ctx, req.backend);
    const q = ctx.queue(name, req.queue);
    const results: Record<string, string> = {};
    const by = ctx.action(req.reason);
    for (const id of req.ids) results[id] = await q.cancelJob(id, by);
    const count = Object.values(results).filter((r) => r !== 'not-cancellable').length;
    return { dryRun: false as const, count, results };
  },
});
