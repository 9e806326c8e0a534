import type { Static } from '@sinclair/typebox';
import type { Operations } from '../operations/operations.js';
import type { listSchedules, listWorkers } from '../operations/ops/other-views.js';
import type { overview } from '../operations/ops/queue-views.js';
import type { Principal } from '../operations/roles.js';
import { Family } from './exposition.js';
import type { WorkerMetrics } from './worker-metrics.js';

/** Who the collector reads as: views only, never audited. */
const METRICS_PRINCIPAL: Principal = { id: 'metrics', role: 'viewer' };

const STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;

/**
 * The admin's gauges in the Prometheus text exposition format (0.0.4), read through the
 * operations layer: counts, pause and workers come from its shared snapshot (computed at
 * most once per `snapshotMs`, default 1 s, whatever the scrape rate), schedules from
 * `schedules.list`, and `mq_admin_actions_total` from this process's audited actions.
 * With `options.workers`, the counters and histograms of the workers of this process
 * (see {@link createWorkerMetrics}) follow.
 */
export async function collectMetrics(
  ops: Operations,
  options: { workers?: WorkerMetrics } = {},
): Promise<string> {
  const exec = <T>(id: string, input: Record<string, unknown>) =>
    ops.execute(METRICS_PRINCIPAL, id, input) as Promise<T>;
  const jobs = new Family('mq_queue_jobs', 'gauge', 'Jobs of a queue in a state.');
  const oldest = new Family(
    'mq_queue_oldest_job_age_seconds',
    'gauge',
    'Age of the oldest waiting job (0 when none waits).',
  );
  const paused = new Family('mq_queue_paused', 'gauge', '1 while the queue is paused.');
  const workers = new Family('mq_workers', 'gauge', 'Live workers consuming the queue.');
  const heartbeat = new Family(
    'mq_worker_heartbeat_age_seconds',
    'gauge',
    "Time since a live worker's last heartbeat.",
  );
  const drift = new Family(
    'mq_schedule_next_run_drift_seconds',
    'gauge',
    'How far past its next run time a (not paused) schedule is now: a stalled scheduler.',
  );
  const actions = new Family(
    'mq_admin_actions_total',
    'counter',
    'Audited admin actions of this process by outcome.',
  );
  for (const { name: backend } of ops.backends.all()) {
    const o = await exec<Static<typeof overview.result>>('queues.overview', { backend });
    for (const q of o.queues) {
      const l = { backend, queue: q.queue };
      for (const s of STATES) jobs.add({ ...l, state: s }, q.counts[s]);
      oldest.add(l, (q.oldestWaitingMs ?? 0) / 1000);
      paused.add(l, q.paused ? 1 : 0);
      workers.add(l, q.workers);
      const sch = await exec<Static<typeof listSchedules.result>>('schedules.list', l);
      for (const s of sch.schedules) drift.add({ ...l, schedule: s.id }, s.overdueMs / 1000);
    }
    const w = await exec<Static<typeof listWorkers.result>>('workers.list', { backend });
    for (const x of w.workers)
      heartbeat.add(
        { backend, queue: x.queue, worker: x.id, kind: x.kind },
        x.heartbeatAgeMs / 1000,
      );
  }
  for (const [key, n] of ops.actionCounts) {
    const [action = '', outcome = ''] = key.split('\u0000');
    actions.add({ action, outcome }, n);
  }
  const gauges = [jobs, oldest, paused, workers, heartbeat, drift, actions].map((f) => f.render());
  return gauges.join('') + (options.workers?.render() ?? '');
}

/** The content type of {@link collectMetrics}' output. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
