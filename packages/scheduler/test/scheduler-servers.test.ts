import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { resolveService } from '@mq/test-services';
import { afterAll, describe } from 'vitest';
import {
  type BackendUnderTest,
  createTestScheduler,
  postgresUnderTest,
  redisUnderTest,
} from './backends.js';

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
      createScheduler: createTestScheduler,
    });
  });
}
