import { HoldProxy, runConnectionFaults } from '@mq/conformance/connection-faults';
import { afterAll, describe, expect, it } from 'vitest';
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

describe.skipIf(svc.skip !== undefined)('redis backend lifecycle', () => {
  it('ready() fails while the server is unreachable and succeeds once it is back (no cached failure)', async () => {
    const target = new URL(svc.url as string);
    // A free port: take one, then give it back so nothing listens there yet.
    const probe = await new HoldProxy('127.0.0.1', 1).start();
    const port = probe.port;
    await probe.close();
    const backend = createRedisBackend({
      url: `redis://127.0.0.1:${port}`,
      prefix,
      options: { maxRetriesPerRequest: 0, retryStrategy: () => 50 },
      onError: () => {},
    });
    try {
      await expect(backend.ready()).rejects.toThrow();
      const proxy = await new HoldProxy(target.hostname, Number(target.port || 6379)).start(port);
      try {
        let ok = false;
        for (const until = Date.now() + 10_000; !ok && Date.now() < until; ) {
          ok = await backend.ready().then(
            () => true,
            () => false,
          );
          if (!ok) await new Promise((r) => setTimeout(r, 100));
        }
        expect(ok).toBe(true);
      } finally {
        await proxy.close();
      }
    } finally {
      await backend.close();
    }
  });
});
