import { Type } from '@sinclair/typebox';
import { AuditRecordSchema } from '../audit.js';
import { defineOperation, pick } from '../define.js';
import { fingerprint } from '../fingerprint.js';
import { ROLES } from '../roles.js';
import { BackendName, Cursor, QueueName, QueueTarget, Req } from '../schemas.js';

/** Who the caller is, as the server sees them. */
export const whoami = defineOperation({
  id: 'whoami',
  summary: 'The caller and their role.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/whoami' },
  request: Req({}),
  result: Type.Object({ id: Type.String(), role: Type.Union(ROLES.map((r) => Type.Literal(r))) }),
  async run(ctx) {
    return { id: ctx.principal.id, role: ctx.principal.role };
  },
});

/** Live workers and schedulers with heartbeat age, and queues with work but no worker. */
export const listWorkers = defineOperation({
  id: 'workers.list',
  summary: 'Workers and schedulers with heartbeat age; queues with work but no live worker.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/workers' },
  request: Req({ backend: BackendName, queue: Type.Optional(QueueName) }),
  result: Type.Object({
    workers: Type.Array(
      Type.Object({
        backend: Type.String(),
        id: Type.String(),
        kind: Type.String(),
        queue: Type.String(),
        host: Type.String(),
        pid: Type.Integer(),
        concurrency: Type.Integer(),
        startedAt: Type.Number(),
        lastSeen: Type.Number(),
        heartbeatAgeMs: Type.Number(),
      }),
    ),
    /** Queues holding waiting or active jobs with no live worker. */
    unattended: Type.Array(Type.Object({ backend: Type.String(), queue: Type.String() })),
  }),
  async run(ctx, req) {
    const names = req.backend
      ? [pick(ctx, req.backend).name]
      : ctx.backends.all().map((b) => b.name);
    const now = ctx.now();
    const snaps = await Promise.all(names.map(async (n) => ({ n, s: await ctx.snapshots.get(n) })));
    const workers = snaps.flatMap(({ n, s }) =>
      s.workers
        .filter((w) => req.queue === undefined || w.queue.split(',').includes(req.queue))
        .map((w) => ({ backend: n, ...w, heartbeatAgeMs: Math.max(0, now - w.lastSeen) })),
    );
    const unattended = snaps.flatMap(({ s }) =>
      s.queues
        .filter((q) => q.warnings.includes('no-live-worker'))
        .filter((q) => req.queue === undefined || q.queue === req.queue)
        .map((q) => ({ backend: q.backend, queue: q.queue })),
    );
    return { workers, unattended };
  },
});

/** A queue's durable schedules: next run, last run, drift. */
export const listSchedules = defineOperation({
  id: 'schedules.list',
  summary: 'Schedules with last run, next run and drift.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends/{backend}/queues/{queue}/schedules' },
  request: Req(QueueTarget),
  result: Type.Object({
    schedules: Type.Array(
      Type.Object({
        id: Type.String(),
        spec: Type.Unknown(),
        task: Type.String(),
        paused: Type.Boolean(),
        nextRunAt: Type.Union([Type.Number(), Type.Null()]),
        lastRunAt: Type.Optional(Type.Number()),
        lastFiredAt: Type.Optional(Type.Number()),
        runCount: Type.Integer(),
        /** The last tick's drift (fired − planned), ms. */
        lastDriftMs: Type.Optional(Type.Number()),
        maxDriftMs: Type.Optional(Type.Number()),
        lateTicks: Type.Integer(),
        /** How far past `nextRunAt` the schedule is now (not paused), ms: a stalled scheduler. */
        overdueMs: Type.Number(),
      }),
    ),
  }),
  async run(ctx, req) {
    const { backend } = pick(ctx, req.backend);
    const now = ctx.now();
    const list = await backend.schedules.list(req.queue);
    return {
      schedules: list.map((s) => ({
        id: s.id,
        spec: s.spec,
        task: s.template.name,
        paused: s.paused,
        nextRunAt: s.nextRunAt,
        ...(s.lastRunAt !== undefined ? { lastRunAt: s.lastRunAt } : {}),
        ...(s.lastFiredAt !== undefined ? { lastFiredAt: s.lastFiredAt } : {}),
        runCount: s.runCount,
        ...(s.lastRunAt !== undefined && s.lastFiredAt !== undefined
          ? { lastDriftMs: s.lastFiredAt - s.lastRunAt }
          : {}),
        ...(s.maxDriftMs !== undefined ? { maxDriftMs: s.maxDriftMs } : {}),
        lateTicks: s.lateTicks ?? 0,
        overdueMs: !s.paused && s.nextRunAt !== null ? Math.max(0, now - s.nextRunAt) : 0,
      })),
    };
  },
});

/** Failed jobs read (newest first) by the failure views, at most. */
export const FAILURE_SCAN_MAX = 10_000;

/**
 * Failed jobs grouped by error fingerprint (name, normalised message, top frame), from
 * the newest `scan` failures (default 1,000) read with the contract's paging.
 */
export const failureGroups = defineOperation({
  id: 'failures.groups',
  summary: 'Failures grouped by error fingerprint with counts and first/last seen.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends/{backend}/queues/{queue}/failures' },
  request: Req({
    ...QueueTarget,
    scan: Type.Optional(Type.Integer({ minimum: 1, maximum: FAILURE_SCAN_MAX, default: 1000 })),
  }),
  result: Type.Object({
    scanned: Type.Integer(),
    groups: Type.Array(
      Type.Object({
        fingerprint: Type.String(),
        name: Type.String(),
        message: Type.String(),
        frame: Type.String(),
        count: Type.Integer(),
        firstSeen: Type.Number(),
        lastSeen: Type.Number(),
        tasks: Type.Array(Type.String()),
        sampleIds: Type.Array(Type.String()),
        sampleMessage: Type.String(),
      }),
    ),
  }),
  async run(ctx, req) {
    const { backend } = pick(ctx, req.backend);
    const jobs = await readFailed(backend, req.queue, req.scan ?? 1000);
    const groups = new Map<
      string,
      {
        fingerprint: string;
        name: string;
        message: string;
        frame: string;
        count: number;
        firstSeen: number;
        lastSeen: number;
        tasks: Set<string>;
        sampleIds: string[];
        sampleMessage: string;
      }
    >();
    for (const j of jobs) {
      const err = j.error ?? { name: 'Error', message: '(no error recorded)' };
      const fp = fingerprint(err);
      const at = j.finishedAt ?? j.createdAt;
      const g = groups.get(fp.id);
      if (!g) {
        groups.set(fp.id, {
          fingerprint: fp.id,
          name: fp.name,
          message: fp.message,
          frame: fp.frame,
          count: 1,
          firstSeen: at,
          lastSeen: at,
          tasks: new Set([j.name]),
          sampleIds: [j.id],
          sampleMessage: err.message,
        });
        continue;
      }
      g.count++;
      g.firstSeen = Math.min(g.firstSeen, at);
      g.lastSeen = Math.max(g.lastSeen, at);
      g.tasks.add(j.name);
      if (g.sampleIds.length < 5) g.sampleIds.push(j.id);
    }
    return {
      scanned: jobs.length,
      groups: [...groups.values()]
        .sort((a, b) => b.count - a.count)
        .map((g) => ({ ...g, tasks: [...g.tasks] })),
    };
  },
});

/** The newest `max` failed jobs of `queue`, a page of 500 at a time. */
export async function readFailed(
  backend: import('@mq/core').Backend,
  queue: string,
  max: number,
): Promise<import('@mq/core').JobRecord[]> {
  const out: import('@mq/core').JobRecord[] = [];
  while (out.length < max) {
    const want = Math.min(500, max - out.length);
    const page = await backend.admin.list(queue, {
      state: 'failed',
      offset: out.length,
      limit: want,
      order: 'desc',
    });
    out.push(...page);
    if (page.length < want) break;
  }
  return out;
}

/** The audit log of a backend, newest first. */
export const listAudit = defineOperation({
  id: 'audit.list',
  summary: 'The audit log, newest first (every action: who, role, target, reason, outcome, time).',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/audit' },
  request: Req({
    backend: BackendName,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Cursor,
  }),
  result: Type.Object({
    records: Type.Array(AuditRecordSchema),
    nextCursor: Type.Optional(Type.String()),
  }),
  async run(ctx, req) {
    const { name } = pick(ctx, req.backend);
    const offset = req.cursor ? Math.max(0, Number.parseInt(req.cursor, 10) || 0) : 0;
    const limit = req.limit ?? 100;
    const records = await ctx.audit(name).list(offset, limit);
    return records.length === limit ? { records, nextCursor: String(offset + limit) } : { records };
  },
});
