import type { SchedulerConformanceOptions } from '@mq/conformance/scheduler';
import { type Backend, backendFromUrl } from '@mq/core';
import { isolatedStore } from '@mq/test-services';
import { Scheduler } from '../src/index.js';

/** A backend factory plus the CLI flags that point `mq-scheduler` at the same store. */
export interface BackendUnderTest {
  create: () => Promise<Backend>;
  cliArgs: string[];
  cleanup: () => Promise<void>;
}

/** The backend at `url` in a namespace of its own (deleted by `cleanup`), by URL. */
export function backendUnderTest(url: string): BackendUnderTest {
  const store = isolatedStore(url, 'mqs');
  return {
    // Imported from here, where the backend packages are dev dependencies.
    create: () => backendFromUrl(store.url, undefined, (pkg) => import(pkg)),
    cliArgs: ['--backend', store.url],
    cleanup: store.cleanup,
  };
}

/** The Scheduler as the scheduler suite drives it: short scan, no retention sweeps. */
export const createTestScheduler: SchedulerConformanceOptions['createScheduler'] = (backend, o) =>
  new Scheduler({
    backend,
    queues: o.queues,
    scanIntervalMs: 50,
    ...(o.missedTicks ? { missedTicks: o.missedTicks } : {}),
    stalled: o.stalledIntervalMs ? { intervalMs: o.stalledIntervalMs } : false,
    retention: o.retentionIntervalMs ? { intervalMs: o.retentionIntervalMs } : false,
    heartbeatIntervalMs: 1000,
  });
