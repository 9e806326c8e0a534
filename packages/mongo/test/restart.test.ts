import { Queue, Worker } from '@mq/core';
import { freePort, requireServices } from '@mq/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { createMongoBackend } from '../src/index.js';
import { PrivateServer, privateServerAvailable } from './private-server.js';

// A private mongo-java-server (never the shared ones): killed and started again under a
// backend. It keeps no data across a restart, so these tests prove the backend comes
// back, not durability (`durable` is proven by the conformance suite on FerretDB).
if (!privateServerAvailable() && requireServices()) {
  throw new Error(
    'mongo-java-server is not built in /opt/mq/mongo-java-server: run tooling/services/provision.sh (MQ_REQUIRE_SERVICES=1 makes this a failure)',
  );
}

describe.skipIf(!privateServerAvailable())('server restarts (private mongo-java-server)', () => {
  const servers: PrivateServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
  });

  it('ready() fails while the server is down and succeeds once it is up (not cached)', async () => {
    const server = new PrivateServer(await freePort());
    servers.push(server);
    const backend = createMongoBackend({
      url: server.url,
      prefix: 'restart',
      clientOptions: { serverSelectionTimeoutMS: 500 },
    });
    await expect(backend.ready()).rejects.toThrow();
    await server.start();
    await backend.ready();
    const q = new Queue('r', { backend, events: false });
    expect((await q.add('x', {})).id).toBeTruthy();
    await q.close();
    await backend.close();
  });

  it('a worker keeps going after the server is killed and started again', async () => {
    const server = new PrivateServer(await freePort());
    servers.push(server);
    await server.start();
    const backend = createMongoBackend({
      url: server.url,
      prefix: 'restart',
      pollMs: { min: 20, max: 100 },
      clientOptions: { serverSelectionTimeoutMS: 1000 },
    });
    await backend.ready();
    const q = new Queue('r', { backend, events: false });
    const done = new Set<string>();
    const errors: unknown[] = [];
    const w = new Worker('r', async (job) => void done.add(job.id), {
      backend,
      concurrency: 2,
      events: false,
    });
    w.on('error', (err) => errors.push(err));
    const first = await q.add('before', {});
    await waitUntil(() => done.has(first.id), 10_000);

    await server.kill();
    // Down for longer than serverSelectionTimeoutMS: the driver gives up on the calls it
    // held, so the worker sees (and reports) the outage instead of merely waiting it out.
    await new Promise((r) => setTimeout(r, 1500));
    await server.start();
    // The driver reconnects; the in-memory server lost everything, so the backend must
    // recreate what it needs (collections appear on first write).
    // A custom id: the counters restarted with the server, so auto ids repeat.
    const after = await retry(() => q.add('after', {}, { jobId: 'after-restart' }), 15_000);
    await waitUntil(() => done.has(after.id), 15_000);
    await retry(async () => {
      if ((await q.getJob(after.id))?.state !== 'completed') throw new Error('not yet');
    }, 5000);
    // The outage was reported, not swallowed.
    expect(errors.length).toBeGreaterThan(0);
    await w.close();
    await q.close();
    await backend.close();
  }, 60_000);
});

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function retry<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
