import { backendFromUrl, Queue } from '@mq/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, svc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('url');

describe.skipIf(svc.skip !== undefined)('redis:// URLs', () => {
  afterAll(() => deleteKeys(prefix));

  it('backendFromUrl opens @mq/redis with the ?prefix= of the URL', async () => {
    // The package resolves itself by name (its exports map), as an application would.
    const backend = await backendFromUrl(
      `${svc.url}?prefix=${prefix}`,
      undefined,
      (p) => import(p),
    );
    await backend.ready();
    const queue = new Queue('q', { backend, events: false });
    await queue.add('x', {}, { jobId: 'one' });
    const r = new Redis(svc.url as string);
    const keys = await r.keys(`${prefix}:*`);
    r.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    expect((await queue.getJob('one'))?.name).toBe('x');
    await queue.close();
    await backend.close();
  });
});
