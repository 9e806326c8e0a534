import { CompletionMismatchError } from '../errors.js';
import type { Metric, Scenario } from '../harness/scenario.js';
import type { ServerCpu } from '../harness/server-cpu.js';
import { percentile } from '../harness/stats.js';

const fmt = (n: number) => n.toLocaleString('en-US');
const perSecond = (n: number, ms: number) => (n * 1000) / ms;

/** `n` single adds with `inFlight` outstanding. */
export function addSingle(n: number, inFlight: number, timeoutMs: number): Scenario {
  return {
    id: `add-single-${inFlight}`,
    timeoutMs,
    metrics: [
      {
        id: 'add',
        label: `add ${fmt(n)}, single (${inFlight} in flight)`,
        unit: 'jobs/s',
        better: 'higher',
      },
    ],
    run: async (s) => ({ add: perSecond(n, await s.addSingle(n, inFlight)) }),
  };
}

/** `n` adds in sequential bulk calls of `batch`. */
export function addBulk(n: number, batch: number, timeoutMs: number): Scenario {
  return {
    id: `add-bulk-${batch}`,
    timeoutMs,
    metrics: [
      {
        id: 'bulk',
        label: `addBulk ${fmt(n)} (batches of ${fmt(batch)})`,
        unit: 'jobs/s',
        better: 'higher',
      },
    ],
    run: async (s) => ({ bulk: perSecond(n, await s.addBulk(n, batch)) }),
  };
}

/**
 * Drains `n` no-op jobs with one worker at `concurrency`, out of `waiting` added
 * beforehand (default `n`). A drain of all jobs must complete each exactly once.
 */
export function drain(
  n: number,
  concurrency: number,
  timeoutMs: number,
  waiting = n,
  label = `drain ${fmt(n)}, c=${concurrency}`,
  cpu?: ServerCpu,
): Scenario {
  const metrics: Metric[] = [{ id: 'drain', label, unit: 'jobs/s', better: 'higher' }];
  if (cpu)
    metrics.push({
      id: 'cpu',
      label: `server CPU per job, c=${concurrency}`,
      unit: 'µs/job',
      better: 'lower',
    });
  return {
    id: `drain-${waiting === n ? '' : `${waiting}-`}c${concurrency}`,
    timeoutMs,
    metrics,
    run: async (s) => {
      const before = await cpu?.();
      const r = await s.drain(n, concurrency, waiting);
      const after = await cpu?.();
      if (waiting === n && r.completed !== n) throw new CompletionMismatchError(n, r.completed);
      const values: Record<string, number> = { drain: perSecond(n, r.ms) };
      // The server's CPU over the drain (the untimed bulk add before it excluded), per job.
      if (cpu)
        values.cpu = before != null && after != null ? ((after - before) * 1000) / n : Number.NaN;
      return values;
    },
  };
}

/** Add-to-start latency with an idle worker: p50 and p99 over `samples` adds. */
export function latency(samples: number, timeoutMs: number): Scenario {
  return {
    id: 'latency',
    timeoutMs,
    metrics: [
      { id: 'p50', label: `add-to-start p50 (${samples} samples)`, unit: 'ms', better: 'lower' },
      { id: 'p99', label: `add-to-start p99 (${samples} samples)`, unit: 'ms', better: 'lower' },
    ],
    run: async (s) => {
      const sorted = (await s.latency(samples)).sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    },
  };
}
