import type { Backend, JobState } from '@mq/core';
import { Type } from '@sinclair/typebox';
import { ConfirmationError } from '../../errors.js';
import { assertConfirmed } from '../confirm.js';
import { defineOperation, pick } from '../define.js';
import { Confirmable, MutationResult, QueueTarget, Reason, Req } from '../schemas.js';

const Done = Type.Object({ dryRun: Type.Literal(false), count: Type.Integer() });

/** Stops leasing jobs of the queue; running jobs finish. */
export const pauseQueue = defineOperation({
  id: 'queue.pause',
  summary: 'Pause a queue (no new leases; running jobs finish).',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/pause' },
  request: Req({ ...QueueTarget, reason: Reason }),
  result: Done,
  async run(ctx, req) {
    const { name } = pick(ctx, req.backend);
    await ctx.queue(name, req.queue).pause(ctx.action(req.reason));
    return { dryRun: false as const, count: 0 };
  },
});

/** Grants leases again. */
export const resumeQueue = defineOperation({
  id: 'queue.resume',
  summary: 'Resume a paused queue.',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/resume' },
  request: Req({ ...QueueTarget, reason: Reason }),
  result: Done,
  async run(ctx, req) {
    const { name } = pick(ctx, req.backend);
    await ctx.queue(name, req.queue).resume(ctx.action(req.reason));
    return { dryRun: false as const, count: 0 };
  },
});

/** Jobs counted at most by a dry run of clean on waiting or delayed jobs. */
const CLEAN_SCAN_MAX = 10_000;

/**
 * What `clean` would remove now: finished jobs are listed oldest-finished first, so the
 * count stops at the first one inside the grace period; waiting and delayed ones are not
 * listed in creation order, so up to {@link CLEAN_SCAN_MAX} are examined.
 */
async function cleanPreview(
  backend: Backend,
  queue: string,
  state: Exclude<JobState, 'active'>,
  cutoff: number,
  limit: number,
): Promise<{ count: number; exact: boolean; sample: string[] }> {
  const finished = state === 'completed' || state === 'failed';
  const sample: string[] = [];
  let count = 0;
  let offset = 0;
  for (;;) {
    const page = await backend.admin.list(queue, { state, offset, limit: 500, order: 'asc' });
    offset += page.length;
    for (const j of page) {
      const t = finished ? (j.finishedAt ?? j.createdAt) : j.createdAt;
      if (t <= cutoff) {
        count++;
        if (sample.length < 10) sample.push(j.id);
        if (count >= limit) return { count, exact: true, sample };
      } else if (finished) return { count, exact: true, sample };
    }
    if (page.length < 500) return { count, exact: true, sample };
    if (!finished && offset >= CLEAN_SCAN_MAX) return { count, exact: false, sample };
  }
}

/** Removes old jobs of a state, in bounded batches, never more than confirmed. */
export const cleanQueue = defineOperation({
  id: 'queue.clean',
  summary: 'Remove jobs of a state older than a grace period (dry run, confirmed count).',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/clean' },
  request: Req({
    ...QueueTarget,
    state: Type.Union([
      Type.Literal('waiting'),
      Type.Literal('delayed'),
      Type.Literal('completed'),
      Type.Literal('failed'),
    ]),
    graceMs: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    reason: Reason,
    ...Confirmable,
  }),
  result: MutationResult,
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    if (req.dryRun) {
      const p = await cleanPreview(
        backend,
        req.queue,
        req.state,
        ctx.now() - req.graceMs,
        req.limit,
      );
      return { dryRun: true as const, ...p };
    }
    if (req.confirmCount === undefined) {
      const p = await cleanPreview(
        backend,
        req.queue,
        req.state,
        ctx.now() - req.graceMs,
        req.limit,
      );
      assertConfirmed('clean', p.count, undefined);
    }
    // The confirmed count bounds the removal itself: never more than the operator saw.
    const total = Math.min(req.limit, req.confirmCount ?? 0);
    const ids: string[] = [];
    while (ids.length < total) {
      const want = Math.min(1000, total - ids.length);
      const removed = await ctx
        .queue(name, req.queue)
        .cleanJobs({ state: req.state, grace: req.graceMs, limit: want }, ctx.action(req.reason));
      ids.push(...removed);
      if (removed.length < want) break;
    }
    return { dryRun: false as const, count: ids.length, ids };
  },
});

/** Removes every waiting job (and delayed ones when asked). */
export const drainQueue = defineOperation({
  id: 'queue.drain',
  summary: 'Remove all waiting (and optionally delayed) jobs (dry run, confirmed count).',
  role: 'operator',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/drain' },
  request: Req({
    ...QueueTarget,
    includeDelayed: Type.Optional(Type.Boolean()),
    reason: Reason,
    ...Confirmable,
  }),
  result: MutationResult,
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    const c = await backend.admin.counts(req.queue);
    const count = c.waiting + (req.includeDelayed ? c.delayed : 0);
    if (req.dryRun) {
      const sample = await backend.admin.list(req.queue, {
        state: 'waiting',
        offset: 0,
        limit: 10,
        order: 'asc',
      });
      return { dryRun: true as const, count, exact: true, sample: sample.map((j) => j.id) };
    }
    assertConfirmed('drain', count, req.confirmCount);
    const n = await ctx
      .queue(name, req.queue)
      .drain({ includeDelayed: req.includeDelayed ?? false }, ctx.action(req.reason));
    return { dryRun: false as const, count: n };
  },
});

/** Removes everything of the queue; the queue's name must be typed to confirm. */
export const obliterateQueue = defineOperation({
  id: 'queue.obliterate',
  summary:
    'Remove everything of a queue (typed queue-name confirmation, dry run, confirmed count).',
  role: 'admin',
  mutates: true,
  http: { method: 'POST', path: '/backends/{backend}/queues/{queue}/obliterate' },
  request: Req({
    ...QueueTarget,
    /** The queue's name, typed by the operator. */
    confirm: Type.Optional(Type.String({ maxLength: 128 })),
    force: Type.Optional(Type.Boolean({ description: 'Obliterate even while jobs are active.' })),
    reason: Reason,
    ...Confirmable,
  }),
  result: MutationResult,
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    const c = await backend.admin.counts(req.queue);
    const count = c.waiting + c.delayed + c.active + c.completed + c.failed;
    if (req.dryRun) return { dryRun: true as const, count, exact: true, sample: [] };
    if (req.confirm !== req.queue)
      throw new ConfirmationError(
        `obliterate needs confirm: "${req.queue}" (the queue's name, typed). Nothing was removed.`,
      );
    assertConfirmed('obliterate', count, req.confirmCount);
    await ctx
      .queue(name, req.queue)
      .obliterate({ force: req.force ?? false }, ctx.action(req.reason));
    return { dryRun: false as const, count };
  },
});
