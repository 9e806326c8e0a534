import type { Suite } from '../harness/scenario.js';
import { mqMemory } from '../systems/our-backends.js';
import { addBulk, addSingle, drain } from './scenarios.js';

/** Default jobs per memory scenario: enough for drains that last about a second. */
export const MEMORY_JOBS = 200_000;

/** @mq/memory alone: adds, then drains at each concurrency (issue: ≥ 200,000 jobs/s at c=100). */
export function memorySuite(o: { jobs: number; concurrency: number[]; timeoutMs: number }): Suite {
  return {
    name: 'memory',
    title: '@mq/memory: add and drain throughput',
    systems: [mqMemory()],
    scenarios: [
      addSingle(o.jobs, 10, o.timeoutMs),
      addBulk(o.jobs, 1000, o.timeoutMs),
      ...o.concurrency.map((c) => drain(o.jobs, c, o.timeoutMs)),
    ],
    servers: async () => [],
    notes: [
      'Drain: the jobs are added in bulk first (untimed), then one Worker runs a no-op ' +
        'processor; timed from the first processor call to the last `completed` event.',
      'Target (issue 3): ≥ 200,000 jobs/s drained at c=100 on this machine.',
    ],
  };
}
