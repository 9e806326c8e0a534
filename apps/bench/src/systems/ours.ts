import { type Backend, Queue, Worker } from '@mq/core';
import {
  addConcurrently,
  addInBatches,
  type BenchPayload,
  DrainClock,
  FILL_BATCH,
  LatencyProbe,
} from './drive.js';
import type { BenchSystem, DrainResult, SystemFactory } from './system.js';
import { runAllSteps } from './teardown.js';

/** One of our backends opened in a fresh namespace, and how to delete that namespace. */
export interface OursInstance {
  backend: Backend;
  /** Deletes the namespace; runs after the backend is closed, on its own connection. */
  cleanup(): Promise<void>;
}

/** How to open one of our backends, for {@link oursFactory}. */
export interface OursSpec {
  id: string;
  label: string;
  notes: string;
  check(): Promise<string | null>;
  open(runId: string): Promise<OursInstance>;
}

/**
 * @mq/core's Queue and Worker on one of our backends, with default options: events on
 * (BullMQ publishes its events by default too), default retention, lease and timers.
 */
export function oursFactory(spec: OursSpec): SystemFactory {
  return {
    id: spec.id,
    label: spec.label,
    ours: true,
    notes: spec.notes,
    check: spec.check,
    create: (runId) => new OursSystem(spec, runId),
  };
}

class OursSystem implements BenchSystem {
  private instance: OursInstance | null = null;
  private queue: Queue<BenchPayload> | null = null;
  private readonly workers: Worker<BenchPayload>[] = [];
  private tornDown = false;
  private readonly errors: unknown[] = [];
  private readonly queueName: string;

  constructor(
    private readonly spec: OursSpec,
    private readonly runId: string,
  ) {
    this.queueName = `bench-${runId}`;
  }

  async setup(): Promise<void> {
    this.instance = await this.spec.open(this.runId);
    await this.instance.backend.ready();
    this.queue = new Queue<BenchPayload>(this.queueName, { backend: this.instance.backend });
    // Event publishing is fire-and-forget in Queue: its failures arrive here.
    this.queue.on('error', (err) => this.errors.push(err));
  }

  async addSingle(n: number, inFlight: number): Promise<number> {
    const q = this.q();
    const ms = await addConcurrently(n, inFlight, (i) => q.add('bench', { i }));
    this.assertNoErrors();
    return ms;
  }

  async addBulk(n: number, batch: number): Promise<number> {
    const q = this.q();
    const ms = await addInBatches(n, batch, (ps) =>
      q.addBulk(ps.map((data) => ({ name: 'bench', data }))),
    );
    this.assertNoErrors();
    return ms;
  }

  async drain(n: number, concurrency: number, waiting = n): Promise<DrainResult> {
    await this.addBulk(waiting, FILL_BATCH);
    const clock = new DrainClock(n);
    const worker = this.startWorker(
      concurrency,
      () => clock.onStart(),
      (err) => clock.fail(err),
    );
    worker.on('completed', () => clock.onCompleted());
    await clock.done;
    await this.closeWorkers();
    this.assertNoErrors();
    return { ms: clock.ms, completed: clock.completed };
  }

  async latency(samples: number): Promise<number[]> {
    const q = this.q();
    const probe = new LatencyProbe();
    let fail: (err: unknown) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failure.catch(() => {});
    this.startWorker(1, (job) => probe.started(job.i), fail);
    const result = await Promise.race([probe.run(samples, (i) => q.add('bench', { i })), failure]);
    await this.closeWorkers();
    this.assertNoErrors();
    return result;
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    const instance = this.instance;
    await runAllSteps([
      () => this.closeWorkers(0),
      () => this.queue?.close(),
      () => instance?.backend.close(),
      () => instance?.cleanup(),
    ]);
  }

  private startWorker(
    concurrency: number,
    onJob: (data: BenchPayload) => void,
    onError: (err: unknown) => void,
  ): Worker<BenchPayload> {
    const worker = new Worker<BenchPayload>(
      this.queueName,
      (job) => {
        onJob(job.data);
      },
      { backend: this.backend(), concurrency },
    );
    worker.on('error', onError);
    this.workers.push(worker);
    return worker;
  }

  private async closeWorkers(timeoutMs = 10_000): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.close({ timeoutMs })));
  }

  /** A measurement during which the system reported an error does not count. */
  private assertNoErrors(): void {
    const [first] = this.errors;
    if (first !== undefined) throw first;
  }

  private q(): Queue<BenchPayload> {
    if (!this.queue) throw new Error('setup() was not called');
    return this.queue;
  }

  private backend(): Backend {
    if (!this.instance) throw new Error('setup() was not called');
    return this.instance.backend;
  }
}
