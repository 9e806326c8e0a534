import { runConnectionFaults } from '@mq/conformance/connection-faults';
import { afterAll, describe, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { deleteKeys, svc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('hang');

if (svc.skip === undefined) {
  const target = new URL(svc.url);
  runConnectionFaults({
    name: 'redis',
    target: { host: target.hostname, port: Number(target.port || 6379) },
    createBackend: (port) =>
      createRedisBackend({
        url: `redis://127.0.0.1:${port}`,
        prefix,
        // Longer than the worker's callTimeoutMs: the worker's own deadline reports first.
        commandTimeoutMs: 1500,
        onError: () => {},
      }),
    createDirectBackend: () => createRedisBackend({ url: svc.url, prefix }),
  });
  afterAll(() => deleteKeys(prefix));
} else {
  describe('redis connection faults', () => {
    it.skip(`skipped: ${svc.skip}`, () => {});
  });
}
