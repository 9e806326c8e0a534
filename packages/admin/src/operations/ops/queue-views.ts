import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../errors.js';
import { AUDIT_QUEUE } from '../audit.js';
import { defineOperation, pick } from '../define.js';
import {
  BackendName,
  type Check,
  CheckSchema,
  QueueSummarySchema,
  QueueTarget,
  Req,
  type QueueSummary,
} from '../schemas.js';
import { OVERDUE_AFTER_MS } from '../snapshots.js';

/** The backends this admin serves, with their declared capabilities. */
export const listBackends = defineOperation({
  id: 'backends.list',
  summary: 'The backends this admin serves and what each can promise.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends' },
  request: Req({}),
  result: Type.Object({
    backends: Type.Array(
      Type.Object({
        name: Type.String(),
        kind: Type.String(),
        capabilities: Type.Record(Type.String(), Type.Boolean()),
      }),
    ),
  }),
  async run(ctx) {
    return {
      backends: ctx.backends.all().map(({ name, backend }) => ({
        name,
        kind: backend.name,
        capabilities: { ...backend.capabilities },
      })),
    };
  },
});

/** Every queue of every backend (or of one): counts, pause, workers, age, throughput. */
export const overview = defineOperation({
  id: 'queues.overview',
  summary: 'Queues overview: counts per state, paused, workers, oldest waiting age, throughput.',
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/queues' },
  request: Req({ backend: BackendName }),
  result: Type.Object({ at: Type.Number(), queues: Type.Array(QueueSummarySchema) }),
  async run(ctx, req) {
    const names = req.backend
      ? [pick(ctx, req.backend).name]
      : ctx.backends.all().map((b) => b.name);
    const snaps = await Promise.all(names.map((n) => ctx.snapshots.get(n)));
    return {
      at: Math.min(...snaps.map((s) => s.at)),
      queues: snaps.flatMap((s) => s.queues),
    };
  },
});

const PLAYBOOK = {
  backlog: 'Backlog rising: inspect waiting counts and worker heartbeats',
  paused: 'Backlog rising: confirm the queue is not paused',
  scale: 'Backlog rising: scale workers or reduce upstream production pressure',
  failures: 'Failure spike: inspect recent failures and traceback patterns',
  stalled: 'Stalled jobs: confirm stalled recovery is running (mq-scheduler)',
  heartbeats: 'Stalled jobs: verify long-running handlers refresh heartbeats',
};

/** The "why isn't this draining?" checks of one queue's summary. */
export function healthChecks(s: QueueSummary, stalledActive: number): Check[] {
  const backlog = s.counts.waiting + s.counts.active;
  const checks: Check[] = [];
  checks.push(
    s.paused
      ? {
          id: 'paused',
          status: backlog > 0 ? 'fail' : 'warn',
          detail: 'The queue is paused: no job is leased.',
          playbook: PLAYBOOK.paused,
        }
      : { id: 'paused', status: 'ok', detail: 'Not paused.', playbook: PLAYBOOK.paused },
  );
  checks.push(
    s.workers === 0
      ? {
          id: 'live-workers',
          status: backlog > 0 ? 'fail' : 'warn',
          detail: 'No live worker heartbeats for this queue.',
          playbook: PLAYBOOK.backlog,
        }
      : {
          id: 'live-workers',
          status: 'ok',
          detail: `${s.workers} live worker(s), concurrency ${s.concurrency}.`,
          playbook: PLAYBOOK.backlog,
        },
  );
  const saturated = s.concurrency > 0 && s.counts.active >= s.concurrency && s.counts.waiting > 0;
  checks.push({
    id: 'saturation',
    status: saturated ? 'warn' : 'ok',
    detail: saturated
      ? `All ${s.concurrency} slots busy with ${s.counts.waiting} waiting.`
      : `${s.counts.active} of ${s.concurrency} slots busy.`,
    playbook: PLAYBOOK.scale,
  });
  const age = s.oldestWaitingMs ?? 0;
  checks.push({
    id: 'oldest-age',
    status: age > 300_000 ? 'fail' : age > 60_000 ? 'warn' : 'ok',
    detail:
      s.oldestWaitingMs === null
        ? 'Nothing waiting.'
        : `Oldest waiting job is ${Math.round(age / 1000)} s old.`,
    playbook: PLAYBOOK.backlog,
  });
  checks.push({
    id: 'delayed-overdue',
    status: s.overdueDelayedMs > OVERDUE_AFTER_MS ? 'warn' : 'ok',
    detail:
      s.overdueDelayedMs > 0
        ? `A delayed job is ${Math.round(s.overdueDelayedMs / 1000)} s past due: no worker is reserving.`
        : 'No delayed job is overdue.',
    playbook: PLAYBOOK.backlog,
  });
  checks.push({
    id: 'stalls',
    status: stalledActive > 0 ? 'warn' : 'ok',
    detail:
      stalledActive > 0
        ? `${stalledActive} sampled job(s) stalled before (lease expired at least once).`
        : 'No sampled job has stalled.',
    playbook: PLAYBOOK.heartbeats,
  });
  checks.push({
    id: 'scheduler-alive',
    status: s.schedulers === 0 ? 'warn' : 'ok',
    detail:
      s.schedulers === 0
        ? 'No live scheduler covers this queue: stalled recovery, schedules and retention sweeps do not run.'
        : `${s.schedulers} live scheduler(s).`,
    playbook: PLAYBOOK.stalled,
  });
  const t = s.throughput;
  checks.push({
    id: 'failure-rate',
    status:
      t === null
        ? 'warn'
        : t.failedPerMin > t.completedPerMin && t.failedPerMin > 0
          ? 'fail'
          : 'ok',
    detail:
      t === null
        ? 'Throughput unknown (the live plane is not observing this backend).'
        : `${t.completedPerMin} completed, ${t.failedPerMin} failed in the last minute.`,
    playbook: PLAYBOOK.failures,
  });
  return checks;
}

/** One queue's summary plus the health checks, each linked to its playbook step. */
export const queueHealth = defineOperation({
  id: 'queue.health',
  summary: `One queue: summary and the "why isn't this draining?" checks.`,
  role: 'viewer',
  mutates: false,
  http: { method: 'GET', path: '/backends/{backend}/queues/{queue}' },
  request: Req(QueueTarget),
  result: Type.Object({ summary: QueueSummarySchema, checks: Type.Array(CheckSchema) }),
  async run(ctx, req) {
    const { name, backend } = pick(ctx, req.backend);
    if (req.queue === AUDIT_QUEUE) throw new NotFoundError('queue', req.queue);
    const snap = await ctx.snapshots.get(name);
    const summary = snap.queues.find((q) => q.queue === req.queue);
    if (!summary) throw new NotFoundError('queue', req.queue);
    const [active, waiting] = await Promise.all([
      backend.admin.list(req.queue, { state: 'active', offset: 0, limit: 100, order: 'asc' }),
      backend.admin.list(req.queue, { state: 'waiting', offset: 0, limit: 100, order: 'asc' }),
    ]);
    const stalled = [...active, ...waiting].filter((j) => j.stalls > 0).length;
    return { summary, checks: healthChecks(summary, stalled) };
  },
});
