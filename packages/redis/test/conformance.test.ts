import { runConformance } from '@mq/conformance';
import { afterAll, describe, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { deleteKeys, svc, uniquePrefix } from './helpers.js';

// One prefix for the whole run: the suite's backends must share a store (cross-process
// tests use two of them); it picks unique queue names itself.
const prefix = uniquePrefix('conf');

if (svc.skip === undefined) {
  runConformance({
    name: 'redis',
    createBackend: () => createRedisBackend({ url: svc.url, prefix }),
  });
  afterAll(() => deleteKeys(prefix));
} else {
  describe('redis conformance', () => {
    it.skip(`skipped: ${svc.skip}`, () => {});
  });
}
