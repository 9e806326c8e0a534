import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { createMemoryBackend } from '@mq/memory';
import { Scheduler } from '../src/index.js';

// Memory has no cross-process compare-and-set (distributedSchedules: false), so the
// suite runs its schedulers on one shared backend, as in one process.
runSchedulerConformance({
  name: 'memory',
  createBackend: () => createMemoryBackend(),
  createScheduler: (backend, o) =>
    new Scheduler({
      backend,
      queues: o.queues,
      scanIntervalMs: 50,
      ...(o.missedTicks ? { missedTicks: o.missedTicks } : {}),
      stalled: o.stalledIntervalMs ? { intervalMs: o.stalledIntervalMs } : false,
      retention: false,
      heartbeatIntervalMs: 1000,
    }),
});
