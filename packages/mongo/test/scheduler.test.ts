import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { Scheduler } from '@mq/scheduler';
import { afterAll, describe, it } from 'vitest';
import { createMongoBackend } from '../src/index.js';
import { dropPrefix, javaSvc, TEST_POLL, uniquePrefix } from './helpers.js';

// mongo-java-server: distributedSchedules holds (atomic compare-and-set on nextRunAt), so
// each scheduler of the suite gets its own backend, as separate processes would.
if (javaSvc.skip === undefined) {
  const url = javaSvc.url;
  const prefix = uniquePrefix('sched');
  describe('scheduler on mongo (mongo-java-server)', () => {
    afterAll(() => dropPrefix(url, prefix));
    runSchedulerConformance({
      name: 'mongo',
      createBackend: () =>
        createMongoBackend({ url, dbName: 'mq_test', prefix, pollMs: TEST_POLL }),
      createScheduler: (backend, o) =>
        new Scheduler({
          backend,
          queues: o.queues,
          scanIntervalMs: 50,
          ...(o.missedTicks ? { missedTicks: o.missedTicks } : {}),
          stalled: o.stalledIntervalMs ? { intervalMs: o.stalledIntervalMs } : false,
          retention: o.retentionIntervalMs ? { intervalMs: o.retentionIntervalMs } : false,
          heartbeatIntervalMs: 1000,
        }),
    });
  });
} else {
  describe('scheduler on mongo (mongo-java-server)', () => {
    it.skip(`skipped: ${javaSvc.skip}`, () => {});
  });
}
