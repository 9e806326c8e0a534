import type { JobRecord } from '@mq/core';
import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../errors.js';
import { defineOperation, pick } from '../define.js';
import {
  Cursor,
  JobErrorSchema,
  JobStateSchema,
  type JobSummary,
  JobSummarySchema,
  QueueTarget,
  Req,
} from '../schemas.js';

/** Records examined at most per list request when filters skip some (bounds the work). */
export const SCAN_BUDGET = 2_000;

/** A job's list row. */
export function summary(j: JobRecord): JobSummary {
  const s: JobSummary = {
    id: j.id,
    name: j.name,
    state: j.state,
    priority: j.priority,
    attemptsMade: j.attemptsMade,
    attempts: j.opts.attempts,
    stalls: j.stalls,
    createdAt: j.createdAt,
    runAt: j.runAt,
  };
  if (j.startedAt !== undefined) s.startedAt = j.startedAt;
  if (j.finishedAt !== undefined) s.finishedAt = j.finishedAt;
  if (j.workerId !== undefined) s.workerId = j.workerId;
  if (j.error) s.error = { name: j.error.name, message: j.error.message };
  return s;
}

function offsetOf(cursor: string | undefined): number {
  const n = cursor === undefined ? 0 : Number.parseInt(cursor, 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/**
 * Jobs of one state, a page at a time. The contract lists by state in order with
 * paging; `name`, time range and `search` (id, name or error text) filter within the
 * pages read, examining at most {@link SCAN_BUDGET} jobs per request — the next cursor
 * continues the scan. `id` is a direct lookup.
 */
export const listJobs = defineOperation({
  id: 'jobs.list',
  summary: 'Jobs by state with cursor paging and filters (name, id, time range, search).',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends/{backend}/queues/{queue}/jobs' },
  request: Req({
    ...QueueTarget,
    state: JobStateSchema,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    cursor: Cursor,
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** ms epoch: created at or after. */
    since: Type.Optional(Type.Integer({ minimum: 0 })),
    /** ms epoch: created at or before. */
    until: Type.Optional(Type.Integer({ minimum: 0 })),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  }),
  result: Type.Object({
    jobs: Type.Array(JobSummarySchema),
    /** Pass back as `cursor` for the next page; absent at the end. */
    nextCursor: Type.Optional(Type.String()),
    /** Jobs examined for this page. */
    scanned: Type.Integer(),
  }),
  async run(ctx, req) {
    const { backend } = pick(ctx, req.backend);
    if (req.id !== undefined) {
      const j = await backend.admin.get(req.queue, req.id);
      return { jobs: j && j.state === req.state ? [summary(j)] : [], scanned: j ? 1 : 0 };
    }
    const limit = req.limit ?? 50;
    const needle = req.search?.toLowerCase();
    const keep = (j: JobRecord): boolean =>
      (req.name === undefined || j.name === req.name) &&
      (req.since === undefined || j.createdAt >= req.since) &&
      (req.until === undefined || j.createdAt <= req.until) &&
      (needle === undefined ||
        j.id.toLowerCase().includes(needle) ||
        j.name.toLowerCase().includes(needle) ||
        (j.error?.message.toLowerCase().includes(needle) ?? false));
    const filtered =
      req.name !== undefined ||
      req.since !== undefined ||
      req.until !== undefined ||
      needle !== undefined;
    let offset = offsetOf(req.cursor);
    const jobs: JobSummary[] = [];
    let scanned = 0;
    let more = true;
    while (jobs.length < limit && scanned < SCAN_BUDGET && more) {
      const want = filtered ? Math.min(200, SCAN_BUDGET - scanned) : limit - jobs.length;
      const page = await backend.admin.list(req.queue, {
        state: req.state,
        offset,
        limit: want,
        order: req.order ?? 'desc',
      });
      more = page.length === want;
      for (const j of page) {
        offset++;
        scanned++;
        if (keep(j)) jobs.push(summary(j));
        if (jobs.length === limit) break;
      }
    }
    return more ? { jobs, nextCursor: String(offset), scanned } : { jobs, scanned };
  },
});

/** One job in full: data and result redacted, options, attempts, times, logs, error. */
export const getJob = defineOperation({
  id: 'jobs.get',
  summary:
    'Job detail: redacted data and result, options, attempts, timestamps, progress, logs, error and stack.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends/{backend}/queues/{queue}/jobs/{id}' },
  request: Req({
    ...QueueTarget,
    id: Type.String({ minLength: 1, maxLength: 256 }),
    logsOffset: Type.Optional(Type.Integer({ minimum: 0 })),
    logsLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  result: Type.Object({
    job: Type.Intersect([
      JobSummarySchema,
      Type.Object({
        queue: Type.String(),
        data: Type.Unknown(),
        result: Type.Optional(Type.Unknown()),
        progress: Type.Optional(Type.Unknown()),
        opts: Type.Unknown(),
        lifo: Type.Boolean(),
        attemptsStarted: Type.Integer(),
        dedupId: Type.Optional(Type.String()),
        leaseExpiresAt: Type.Optional(Type.Number()),
        cancelRequested: Type.Optional(Type.Boolean()),
        fullError: Type.Optional(JobErrorSchema),
      }),
    ]),
    logs: Type.Array(Type.String()),
  }),
  async run(ctx, req) {
    const { backend } = pick(ctx, req.backend);
    const j = await backend.admin.get(req.queue, req.id);
    if (!j) throw new NotFoundError('job', `${req.queue}/${req.id}`);
    const logs = await backend.admin.getLogs(
      req.queue,
      req.id,
      req.logsOffset ?? 0,
      req.logsLimit ?? 100,
    );
    const r = ctx.redactor;
    return {
      job: {
        ...summary(j),
        queue: j.queue,
        data: r.json(j.queue, j.name, j.payload),
        ...(j.result !== undefined ? { result: r.json(j.queue, j.name, j.result) } : {}),
        ...(j.progress !== undefined ? { progress: r.json(j.queue, j.name, j.progress) } : {}),
        opts: j.opts,
        lifo: j.lifo,
        attemptsStarted: j.attemptsStarted,
        ...(j.dedupId !== undefined ? { dedupId: j.dedupId } : {}),
        ...(j.leaseExpiresAt !== undefined ? { leaseExpiresAt: j.leaseExpiresAt } : {}),
        ...(j.cancelRequested !== undefined ? { cancelRequested: j.cancelRequested } : {}),
        ...(j.error ? { fullError: j.error } : {}),
      },
      logs,
    };
  },
});
