import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { createMemoryBackend } from '@mq/memory';
import { createTestScheduler } from './backends.js';

// Memory has no cross-process compare-and-set (distributedSchedules: false), so the
// suite runs its schedulers on one shared backend, as in one process.
runSchedulerConformance({
  name: 'memory',
  createBackend: () => createMemoryBackend(),
  createScheduler: createTestScheduler,
});
