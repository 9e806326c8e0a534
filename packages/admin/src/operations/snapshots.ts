import type { Backend, WorkerInfo } from '@mq/core';
import { AUDIT_QUEUE } from './audit.js';
import type { BackendSet } from './backend-set.js';
import type { LiveStats } from './live-stats.js';
import type { QueueSummary } from './schemas.js';

/** A delayed job this late (ms) means nothing promotes the queue: no worker reserves it. */
export const OVERDUE_AFTER_MS = 5_000;

/** Whether worker entry `w` serves `queue` (schedulers list theirs comma-separated). */
export function serves(w: WorkerInfo, queue: string): boolean {
  return w.kind === 'worker' ? w.queue === queue : w.queue.split(',').includes(queue);
}

/** One backend's queues and workers, as of `at`. */
export interface Snapshot {
  at: number;
  queues: QueueSummary[];
  workers: WorkerInfo[];
}

async function summarise(
  name: string,
  backend: Backend,
  queue: string,
  workers: WorkerInfo[],
  live: LiveStats,
  now: number,
): Promise<QueueSummary> {
  const [counts, paused, waiting, delayed] = await Promise.all([
    backend.admin.counts(queue),
    backend.admin.isPaused(queue),
    backend.admin.list(queue, { state: 'waiting', offset: 0, limit: 50, order: 'asc' }),
    backend.admin.list(queue, { state: 'delayed', offset: 0, limit: 1, order: 'asc' }),
  ]);
  const mine = workers.filter((w) => w.kind === 'worker' && serves(w, queue));
  const schedulers = workers.filter((w) => w.kind === 'scheduler' && serves(w, queue)).length;
  const concurrency = mine.reduce((n, w) => n + w.concurrency, 0);
  const oldest = waiting.reduce((m, j) => Math.min(m, j.createdAt), Number.POSITIVE_INFINITY);
  const firstDelayed = delayed[0];
  const overdueDelayedMs = firstDelayed ? Math.max(0, now - firstDelayed.runAt) : 0;
  const warnings: string[] = [];
  const pending = counts.waiting + counts.active + (overdueDelayedMs > 0 ? 1 : 0);
  if (paused && counts.waiting > 0) warnings.push('paused');
  if (!paused && pending > 0 && mine.length === 0) warnings.push('no-live-worker');
  if (concurrency > 0 && counts.active >= concurrency && counts.waiting > 0)
    warnings.push('saturated');
  if (overdueDelayedMs > OVERDUE_AFTER_MS) warnings.push('delayed-overdue');
  const throughput = live.rate(name, queue, now);
  if (
    throughput &&
    throughput.failedPerMin > throughput.completedPerMin &&
    throughput.failedPerMin > 0
  )
    warnings.push('failing');
  return {
    backend: name,
    queue,
    counts,
    paused,
    workers: mine.length,
    concurrency,
    schedulers,
    oldestWaitingMs: Number.isFinite(oldest) ? Math.max(0, now - oldest) : null,
    overdueDelayedMs,
    throughput,
    warnings,
  };
}

/**
 * Counts and workers per backend, computed at most once per `intervalMs` and shared by
 * every caller (50 open dashboards cost one computation per interval, not 50).
 */
export class Snapshots {
  private readonly cache = new Map<string, { at: number; value: Promise<Snapshot> }>();
  /** Computations run so far (exposed so tests can check the sharing). */
  computations = 0;

  constructor(
    private readonly backends: BackendSet,
    private readonly live: LiveStats,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** The snapshot of backend `name`, no older than the interval. */
  get(name: string): Promise<Snapshot> {
    const now = this.now();
    const hit = this.cache.get(name);
    if (hit && now - hit.at < this.intervalMs) return hit.value;
    const value = this.compute(name, now);
    this.cache.set(name, { at: now, value });
    // A failed computation is not cached: the next caller tries again.
    value.catch(() => {
      if (this.cache.get(name)?.value === value) this.cache.delete(name);
    });
    return value;
  }

  /** Drops cached snapshots (after a mutation, so the caller sees its effect). */
  invalidate(name: string): void {
    this.cache.delete(name);
  }

  private async compute(name: string, now: number): Promise<Snapshot> {
    this.computations++;
    const { backend } = this.backends.get(name);
    const [queues, workers] = await Promise.all([
      backend.admin.listQueues(),
      backend.workers.list(),
    ]);
    const visible = queues.filter((q) => q !== AUDIT_QUEUE).sort();
    const summaries = await Promise.all(
      visible.map((q) => summarise(name, backend, q, workers, this.live, now)),
    );
    return { at: now, queues: summaries, workers };
  }
}
