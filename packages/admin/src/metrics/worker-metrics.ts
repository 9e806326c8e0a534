import type { Worker } from '@mq/core';
import { Family } from './exposition.js';

/** Default histogram buckets, seconds: 5 ms to an hour. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600,
];

/** Options of {@link createWorkerMetrics}. */
export interface WorkerMetricsOptions {
  /** Upper bounds of the wait and run histograms, seconds. Default {@link DEFAULT_BUCKETS}. */
  buckets?: readonly number[];
  /** Distinct job names kept as labels; later ones count as `_other`. Default 50. */
  maxNames?: number;
  /** Clock, ms. Default `Date.now`. */
  now?: () => number;
}

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    this.buckets.forEach((b, i) => {
      if (v <= b) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
}

/**
 * Counters and histograms of the workers of this process, aggregated per process and
 * kept in memory (never recomputed from the backend): attach each worker with
 * `observe(worker)`, render with `render()` or pass to `collectMetrics(ops, { workers })`.
 */
export class WorkerMetrics {
  private readonly buckets: readonly number[];
  private readonly maxNames: number;
  private readonly now: () => number;
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, Histogram>>();

  constructor(options: WorkerMetricsOptions = {}) {
    this.buckets = [...(options.buckets ?? DEFAULT_BUCKETS)].sort((a, b) => a - b);
    this.maxNames = options.maxNames ?? 50;
    this.now = options.now ?? Date.now;
  }

  /** Counts the events of `worker` from now on; returns the detach function. */
  observe(worker: Worker<never, never> | Worker): () => void {
    const w = worker as Worker;
    const q = w.queue;
    const run = (job: { startedAt: number | undefined }) =>
      job.startedAt === undefined ? undefined : Math.max(0, this.now() - job.startedAt) / 1000;
    const onActive = (job: { name: string; runAt: number; startedAt: number | undefined }) =>
      this.hist(
        'mq_job_wait_seconds',
        { queue: q, name: this.label(job.name) },
        Math.max(0, ((job.startedAt ?? this.now()) - job.runAt) / 1000),
      );
    const onCompleted = (job: { name: string; startedAt: number | undefined }) => {
      const l = { queue: q, name: this.label(job.name) };
      this.inc('mq_jobs_completed_total', l);
      const r = run(job);
      if (r !== undefined) this.hist('mq_job_run_seconds', l, r);
    };
    const onFailed = (job: { name: string; startedAt: number | undefined }) => {
      const l = { queue: q, name: this.label(job.name) };
      this.inc('mq_jobs_failed_total', { ...l, final: 'true' });
      const r = run(job);
      if (r !== undefined) this.hist('mq_job_run_seconds', l, r);
    };
    const onRetrying = (job: { name: string; startedAt: number | undefined }) => {
      const l = { queue: q, name: this.label(job.name) };
      this.inc('mq_jobs_failed_total', { ...l, final: 'false' });
      this.inc('mq_jobs_retried_total', l);
      const r = run(job);
      if (r !== undefined) this.hist('mq_job_run_seconds', l, r);
    };
    const onStalled = (ids: string[]) =>
      this.inc('mq_jobs_stalled_total', { queue: q }, ids.length);
    w.on('active', onActive as never);
    w.on('completed', onCompleted as never);
    w.on('failed', onFailed as never);
    w.on('retrying', onRetrying as never);
    w.on('stalled', onStalled as never);
    return () => {
      w.off('active', onActive as never);
      w.off('completed', onCompleted as never);
      w.off('failed', onFailed as never);
      w.off('retrying', onRetrying as never);
      w.off('stalled', onStalled as never);
    };
  }

  /** The counters and histograms in the text exposition format. */
  render(): string {
    const help: Record<string, string> = {
      mq_jobs_completed_total: 'Jobs completed by the workers of this process.',
      mq_jobs_failed_total: 'Failed attempts; final="true" when no attempt is left.',
      mq_jobs_retried_total: 'Failed attempts scheduled for a retry.',
      mq_jobs_stalled_total: 'Expired leases recovered by the workers of this process.',
      mq_job_wait_seconds: 'Time from a job being due to its attempt starting.',
      mq_job_run_seconds: 'Time an attempt ran.',
    };
    let out = '';
    for (const name of [
      'mq_jobs_completed_total',
      'mq_jobs_failed_total',
      'mq_jobs_retried_total',
      'mq_jobs_stalled_total',
    ]) {
      const f = new Family(name, 'counter', help[name] ?? '');
      for (const [key, v] of this.counters.get(name) ?? []) f.add(JSON.parse(key), v);
      out += f.render();
    }
    for (const name of ['mq_job_wait_seconds', 'mq_job_run_seconds']) {
      const f = new Family(name, 'histogram', help[name] ?? '');
      for (const [key, h] of this.histograms.get(name) ?? []) {
        const labels = JSON.parse(key) as Record<string, string>;
        for (const [i, b] of h.buckets.entries())
          f.add({ ...labels, le: String(b) }, h.counts[i] ?? 0, '_bucket');
        f.add({ ...labels, le: '+Inf' }, h.count, '_bucket');
        f.add(labels, h.sum, '_sum');
        f.add(labels, h.count, '_count');
      }
      out += f.render();
    }
    return out;
  }

  private label(name: string): string {
    if (this.names.has(name)) return name;
    if (this.names.size >= this.maxNames) return '_other';
    this.names.add(name);
    return name;
  }

  private inc(name: string, labels: Record<string, string>, by = 1): void {
    let m = this.counters.get(name);
    if (!m) {
      m = new Map();
      this.counters.set(name, m);
    }
    const key = JSON.stringify(labels);
    m.set(key, (m.get(key) ?? 0) + by);
  }

  private hist(name: string, labels: Record<string, string>, v: number): void {
    let m = this.histograms.get(name);
    if (!m) {
      m = new Map();
      this.histograms.set(name, m);
    }
    const key = JSON.stringify(labels);
    let h = m.get(key);
    if (!h) {
      h = new Histogram(this.buckets);
      m.set(key, h);
    }
    h.observe(v);
  }
}

/** A {@link WorkerMetrics} collector. */
export function createWorkerMetrics(options?: WorkerMetricsOptions): WorkerMetrics {
  return new WorkerMetrics(options);
}
