import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRedisBackend,
  REDIS_CAPABILITIES,
  RedisBackendClosedError,
  RedisBackendOptionError,
} from '../src/index.js';
import { deleteKeys, job, svc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('opts');

describe('redis backend: options', () => {
  it('rejects bad options with a typed error naming the option', () => {
    const cases: [Parameters<typeof createRedisBackend>[0], string][] = [
      [{ prefix: 'a{b}' }, 'prefix'],
      [{ prefix: '' }, 'prefix'],
      [{ url: 'http://localhost' }, 'url'],
      [{ url: 'redis://x', client: new Redis({ lazyConnect: true }) }, 'client'],
      [{ blockMs: 5 }, 'blockMs'],
    ];
    for (const [opts, option] of cases) {
      let caught: unknown;
      try {
        createRedisBackend(opts);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(RedisBackendOptionError);
      expect((caught as RedisBackendOptionError).option).toBe(option);
      expect((caught as RedisBackendOptionError).code).toBe('MQ_REDIS_INVALID_OPTION');
    }
  });

  it('declares every capability', () => {
    expect(Object.values(REDIS_CAPABILITIES).every((v) => v === true)).toBe(true);
  });
});

describe.skipIf(svc.skip !== undefined)('redis backend: connections', () => {
  afterAll(() => deleteKeys(prefix));

  it('uses a caller client without closing it, and refuses work once closed', async () => {
    const client = new Redis(svc.url as string);
    const b = createRedisBackend({ client, prefix });
    expect(b.client).toBe(client);
    await b.ready();
    expect(await b.jobs.add('q', [job()])).toMatchObject([{ status: 'added' }]);
    await b.jobs.waitForWork('q', { signal: new AbortController().signal, maxWaitMs: 20 });
    await b.close();
    expect(await client.ping()).toBe('PONG');
    await expect(b.jobs.add('q', [job()])).rejects.toBeInstanceOf(RedisBackendClosedError);
    await expect(b.events.subscribe(['q'], () => {})).rejects.toBeInstanceOf(
      RedisBackendClosedError,
    );
    client.disconnect();
  });
});
