import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { resolveService } from '@mq/test-services';
import { afterAll, describe } from 'vitest';
import { Scheduler } from '../src/index.js';
import { type BackendUnderTest, postgresUnderTest, redisUnderTest } from './backends.js';

const servers: [string, 'redis' | 'postgres', (url: string) => BackendUnderTest][] = [
  ['redis', 'redis', redisUnderTest],
  ['postgres', 'postgres', postgresUnderTest],
];

for (const [name, kind, make] of servers) {
  const svc = await resolveService(kind);
  describe.skipIf(svc.skip !== undefined)(`scheduler on ${name}`, () => {
    const under = make(svc.url ?? '');
    afterAll(() => under.cleanup());
    // Each scheduler gets its own backend (its own connections): the cross-process case.
    runSchedulerConformance({
      name,
      createBackend: under.create,
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
  });
}
