import { runConformance } from '@mq/conformance';
import { afterAll, describe, it } from 'vitest';
import {
  deleteNamedQueues,
  rabbit,
  type StoreKind,
  skipReason,
  storeFixture,
  unique,
} from './helpers.js';

// RabbitMQ delivery over each store, nothing skipped. One queue-name prefix per store on
// the shared broker's default vhost; the suite picks unique queue names itself and
// obliterates each (which deletes its RabbitMQ queues).
const STORES: StoreKind[] = (process.env.MQ_RABBIT_STORES?.split(',') as StoreKind[]) ?? [
  'memory',
  'redis',
  'postgres',
];

for (const kind of STORES) {
  const skip = skipReason(kind);
  if (skip !== undefined) {
    describe(`rabbit+${kind} conformance`, () => {
      it.skip(`skipped: ${skip}`, () => {});
    });
    continue;
  }
  const store = storeFixture(kind);
  const prefix = unique(`c${kind}`);
  runConformance({
    name: `rabbit+${kind}`,
    createBackend: async () => rabbit(await store.create(), prefix),
  });
  afterAll(() => store.cleanup());
}
afterAll(() => deleteNamedQueues());
