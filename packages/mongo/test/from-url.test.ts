import { backendFromUrl, Queue } from '@mq/core';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoBackend, fromUrl, InvalidMongoOptionsError } from '../src/index.js';
import { dropPrefix, javaSvc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('url');

describe('fromUrl without a server', () => {
  it('refuses a prefix outside its rule, naming the field', () => {
    expect(() => fromUrl('mongodb://127.0.0.1:1/x?prefix=bad.name')).toThrow(
      InvalidMongoOptionsError,
    );
    try {
      fromUrl('mongodb://127.0.0.1:1/x?prefix=bad.name');
    } catch (err) {
      expect((err as InvalidMongoOptionsError).field).toBe('prefix');
    }
  });
});

describe.skipIf(javaSvc.skip !== undefined)('mongodb:// URLs (mongo-java-server)', () => {
  const base = (javaSvc.url ?? '').replace(/\/$/, '');
  afterAll(() => dropPrefix(javaSvc.url as string, prefix));

  it('backendFromUrl opens @mq/mongo in the URL path database with the ?prefix= collections', async () => {
    // The package resolves itself by name (its exports map), as an application would.
    const backend = await backendFromUrl(
      `${base}/mq_test?prefix=${prefix}`,
      undefined,
      (p) => import(p),
    );
    await backend.ready();
    expect(backend.name).toBe('mongo');
    const queue = new Queue('q', { backend, events: false });
    await queue.add('x', {}, { jobId: 'one' });
    expect((await queue.getJob('one'))?.name).toBe('x');
    await queue.close();
    await backend.close();

    const client = new MongoClient(javaSvc.url as string);
    await client.connect();
    const doc = await client.db('mq_test').collection(`${prefix}_jobs`).findOne({ id: 'one' });
    expect(doc?.q).toBe('q');
    await client.close();
  });

  it('a caller-owned client is used and never closed by the backend', async () => {
    const client = new MongoClient(javaSvc.url as string);
    // A URL and a client together are refused: exactly one source is allowed.
    expect(() => fromUrl('mongodb://ignored.invalid/', { client } as never)).toThrow(
      InvalidMongoOptionsError,
    );
    const own = createMongoBackend({ client, dbName: 'mq_test', prefix });
    await own.ready();
    await own.close();
    // Still usable: the backend did not close it.
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    await client.close();
  });
});
