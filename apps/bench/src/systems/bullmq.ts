import {
  addConcurrently,
  addInBatches,
  type BenchPayload,
  DrainClock,
  FILL_BATCH,
  LatencyProbe,
} from './drive.js';
import type { BenchSystem, DrainResult } from './system.js';
import { runAllSteps } from './teardown.js';

/** The part of BullMQ's Queue the benchmark uses (either backend). */
export interface BullQueueLike {
  add(name: string, data: BenchPayload): Promise<unknown>;
  addBulk(jobs: { name: string; data: BenchPayload }[]): Promise<unknown>;
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/** The part of BullMQ's Worker the benchmark uses (either backend). */
export interface BullWorkerLike {
  on(event: 'completed', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  run(): Promise<void>;
  waitUntilReady(): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

/** How to build BullMQ's classes on one backend in one namespace. */
export interface BullParts {
  queue(name: string): BullQueueLike;
  /** A Worker with `autorun: false` and the given concurrency. */
  worker(
    name: string,
    processor: (job: { data: BenchPayload }) => Promise<void>,
    concurrency: number,
  ): BullWorkerLike;
  /** Deletes the namespace after every instance is closed. */
  cleanup(): Promise<void>;
}

/**
 * BullMQ's own Queue and Worker, used as its docs show: `add` / `addBulk` on a Queue, a
 * Worker with `concurrency`, completions counted from the Worker's `completed` event
 * (emitted once the job is moved to completed in the store).
 */
export class BullSystem implements BenchSystem {
  private queue: BullQueueLike | null = null;
  private readonly workers: BullWorkerLike[] = [];
  private tornDown = false;
  private readonly name: string;

  constructor(
    private readonly parts: BullParts,
    runId: string,
  ) {
    this.name = `bench-${runId}`;
  }

  async setup(): Promise<void> {
    this.queue = this.parts.queue(this.name);
    await this.queue.waitUntilReady();
  }

  addSingle(n: number, inFlight: number): Promise<number> {
    const q = this.q();
    return addConcurrently(n, inFlight, (i) => q.add('bench', { i }));
  }

  addBulk(n: number, batch: number): Promise<number> {
    const q = this.q();
    return addInBatches(n, batch, (ps) => q.addBulk(ps.map((data) => ({ name: 'bench', data }))));
  }

  async drain(n: number, concurrency: number, waiting = n): Promise<DrainResult> {
    await this.addBulk(waiting, FILL_BATCH);
    const clock = new DrainClock(n);
    const worker = await this.startWorker(concurrency, async () => clock.onStart());
    const failure = failureOf(worker);
    worker.on('completed', () => clock.onCompleted());
    await Promise.race([clock.done, failure]);
    await this.closeWorkers();
    return { ms: clock.ms, completed: clock.completed };
  }

  async latency(samples: number): Promise<number[]> {
    const q = this.q();
    const probe = new LatencyProbe();
    const worker = await this.startWorker(1, async (job) => probe.started(job.data.i));
    const result = await Promise.race([
      probe.run(samples, (i) => q.add('bench', { i })),
      failureOf(worker),
    ]);
    await this.closeWorkers();
    return result;
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    const workers = this.workers.splice(0);
    await runAllSteps([
      ...workers.map((w) => () => w.close(true)),
      () => this.queue?.close(),
      () => this.parts.cleanup(),
    ]);
  }

  private async startWorker(
    concurrency: number,
    processor: (job: { data: BenchPayload }) => Promise<void>,
  ): Promise<BullWorkerLike> {
    const worker = this.parts.worker(this.name, processor, concurrency);
    this.workers.push(worker);
    await worker.waitUntilReady();
    return worker;
  }

  private async closeWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }

  private q(): BullQueueLike {
    if (!this.queue) throw new Error('setup() was not called');
    return this.queue;
  }
}

/** Starts the worker's loop; rejects on its first error (a bench run must not hide one). */
function failureOf(worker: BullWorkerLike): Promise<never> {
  const failure = new Promise<never>((_, reject) => {
    worker.on('error', reject);
    worker.run().catch(reject);
  });
  // An error after the race is decided must not crash the process as unhandled.
  failure.catch(() => {});
  return failure;
}
