import { runSchedulerConformance } from '@mq/conformance/scheduler';
import { resolveService } from '@mq/test-services';
import { afterAll, describe } from 'vitest';
import { backendUnderTest, createTestScheduler } from './backends.js';

for (const kind of ['redis', 'postgres'] as const) {
  const svc = await resolveService(kind);
  describe.skipIf(svc.skip !== undefined)(`scheduler on ${kind}`, () => {
    const under = backendUnderTest(svc.url ?? '');
    afterAll(() => under.cleanup());
    // Each scheduler gets its own backend (its own connections): the cross-process case.
    runSchedulerConformance({
      name: kind,
      createBackend: under.create,
      createScheduler: createTestScheduler,
    });
  });
}
