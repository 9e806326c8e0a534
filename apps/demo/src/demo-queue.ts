import { type Backend, type JobCounts, type Processor, Queue, QueueEvents, Worker } from '@mq/core';
import type { Simulation } from './payload.js';
import type { DemoPlan } from './plan.js';
import { type Mix, produce } from './producers.js';
import { QueueStats } from './stats.js';

const PAGE = 500;

/** One queue of the demo: its name, processor, worker settings and traffic. */
export interface QueueSpec<D, R> {
  name: string;
  processor: Processor<D, R>;
  concurrency: number;
  limiter?: { max: number; duration: number };
  mix: (plan: DemoPlan) => Mix<D>;
}

/** A queue wired up for a run, whatever its payload type. */
export interface RunningQueue {
  readonly name: string;
  readonly stats: QueueStats;
  counts(): Promise<JobCounts>;
  /** The error name of every failed job (the dead-letter view). */
  failedErrorNames(): Promise<string[]>;
  produce(plan: DemoPlan, startedAt: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a Queue (producer side), a Worker and a QueueEvents subscriber for `spec`, and
 * feeds `stats` from them. The subscription is live and the worker running when it
 * resolves, so no event of the run is missed.
 */
export async function openQueue<D extends { simulate?: Simulation }, R>(
  spec: QueueSpec<D, R>,
  backend: Backend,
  onError: (where: string, err: unknown) => void,
): Promise<RunningQueue> {
  const stats = new QueueStats(spec.name);
  const queue = new Queue<D>(spec.name, {
    backend,
    // The demo keeps every finished job so its counts add up to what was added; in
    // production keep the bounded defaults (see DEFAULT_REMOVE_ON_COMPLETE).
    defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
  });
  const events = new QueueEvents(spec.name, { backend });
  events.on('completed', (e) => {
    stats.completed++;
    stats.finished(e.at);
  });
  events.on('failed', (e) => {
    stats.failed++;
    stats.finished(e.at);
  });
  events.on('retrying', () => {
    stats.retried++;
  });
  const worker = new Worker<D, R>(spec.name, spec.processor, {
    backend,
    concurrency: spec.concurrency,
    ...(spec.limiter ? { limiter: spec.limiter } : {}),
    closeTimeoutMs: 5000,
    autorun: false,
  });
  worker.on('active', (job) => stats.waited((job.startedAt ?? Date.now()) - job.runAt));
  queue.on('error', (err) => onError(`${spec.name} queue`, err));
  events.on('error', (err) => onError(`${spec.name} events`, err));
  worker.on('error', (err) => onError(`${spec.name} worker`, err));
  await events.start();
  void worker.run();
  return {
    name: spec.name,
    stats,
    counts: () => queue.getCounts(),
    async failedErrorNames() {
      const names: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await queue.getJobs('failed', { offset, limit: PAGE });
        names.push(...page.map((j) => j.error?.name ?? 'unknown'));
        if (page.length < PAGE) return names;
      }
    },
    produce: (plan, startedAt, signal) =>
      produce(queue, stats, spec.mix(plan), plan, startedAt, signal),
    async close() {
      // Workers first: they flush their last events before the subscriber goes away.
      await worker.close();
      await events.close();
      await queue.close();
    },
  };
}
