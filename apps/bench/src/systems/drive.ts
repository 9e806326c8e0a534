import { performance } from 'node:perf_hooks';
import { withTimeout } from '../harness/timeout.js';

/** The payload every benchmark job carries: its index (small and alike for all systems). */
export interface BenchPayload {
  i: number;
}

/** Runs `addOne(i)` for i in [0, n) with `inFlight` calls outstanding; elapsed ms. */
export async function addConcurrently(
  n: number,
  inFlight: number,
  addOne: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const lane = async () => {
    while (next < n) await addOne(next++);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, lane));
  return performance.now() - t0;
}

/** Adds [0, n) in sequential calls of up to `batch` payloads; elapsed ms. */
export async function addInBatches(
  n: number,
  batch: number,
  addMany: (payloads: BenchPayload[]) => Promise<unknown>,
): Promise<number> {
  const t0 = performance.now();
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    await addMany(Array.from({ length: count }, (_, k) => ({ i: start + k })));
  }
  return performance.now() - t0;
}

/** Default bulk size used to fill a queue before a drain (untimed). */
export const FILL_BATCH = 1000;

/**
 * Clocks a drain: the first processor call starts it, the `n`th completion the system
 * confirms stops it.
 */
export class DrainClock {
  private started = 0;
  private stopped = 0;
  completed = 0;
  /** Resolves at the `n`th completion; rejects on `fail`. */
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (err: unknown) => void;

  constructor(readonly n: number) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {});
  }

  /** Ends the drain with an error (the measurement fails with it). */
  fail(err: unknown): void {
    this.reject(err);
  }

  /** Call at the top of the processor. */
  onStart(): void {
    if (this.started === 0) this.started = performance.now();
  }

  /** Call when the system confirms `k` jobs completed (written back to its store). */
  onCompleted(k = 1): void {
    const before = this.completed;
    this.completed += k;
    if (before < this.n && this.completed >= this.n) {
      this.stopped = performance.now();
      this.resolve();
    }
  }

  /** Elapsed ms between the first start and the `n`th completion. */
  get ms(): number {
    return this.stopped - this.started;
  }
}

/** Gap after each latency sample so the worker is back in its idle wait before the next. */
const IDLE_GAP_MS = 25;
/** Bound of one latency sample: a wake-up slower than this is a failure, not a figure. */
const SAMPLE_TIMEOUT_MS = 30_000;

/**
 * Measures add-to-start latency: the processor calls `started(i)` with the job's index;
 * `run` adds one job at a time and records the time from before the add to that call.
 */
export class LatencyProbe {
  private readonly t0 = new Map<number, number>();
  private readonly waiters = new Map<number, (ms: number) => void>();

  /** Call at the top of the processor with the job's payload index. */
  started(i: number): void {
    const t = this.t0.get(i);
    if (t === undefined) return;
    this.t0.delete(i);
    this.waiters.get(i)?.(performance.now() - t);
  }

  /** Adds `samples` jobs one by one with `addOne(i)`; ms per sample. */
  async run(samples: number, addOne: (i: number) => Promise<unknown>): Promise<number[]> {
    const out: number[] = [];
    // Let the worker reach its idle wait before the first sample.
    await sleep(200);
    for (let i = 0; i < samples; i++) {
      const seen = new Promise<number>((resolve) => this.waiters.set(i, resolve));
      this.t0.set(i, performance.now());
      await addOne(i);
      out.push(await withTimeout(`latency sample ${i}`, SAMPLE_TIMEOUT_MS, seen));
      this.waiters.delete(i);
      await sleep(IDLE_GAP_MS);
    }
    return out;
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
