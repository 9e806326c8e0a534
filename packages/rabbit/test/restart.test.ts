import { Queue, Worker } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRabbitBackend } from '../src/index.js';
import { sleep, waitFor } from './helpers.js';
import { PrivateRabbit, privateRabbitSkip } from './private-rabbit.js';

// A broker of its own: restarting the shared one would break every other suite.
const skip = privateRabbitSkip();

describe.skipIf(skip !== undefined)('rabbit: broker restart (private node)', () => {
  const broker = new PrivateRabbit();
  beforeAll(() => broker.start(), 90_000);
  afterAll(() => broker.destroy(), 60_000);

  it('under load: the backend reconnects by itself, consumers resume, no job is lost or run twice', async () => {
    const backend = createRabbitBackend({
      url: broker.url,
      store: createMemoryBackend(),
      ownsStore: true,
      reconnectMinMs: 100,
      reconnectMaxMs: 1000,
      sweepIntervalMs: 500,
      publishTimeoutMs: 500,
      onError: () => undefined,
    });
    await backend.ready();
    const q = new Queue('restart', { backend, events: false });
    const runs = new Map<string, number>();
    const w = new Worker(
      'restart',
      async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await sleep(20);
      },
      // Only deliveries wake this worker: its idle wait is longer than the test.
      { backend, concurrency: 4, idleWaitMs: 120_000, stalledIntervalMs: 0 },
    );
    const opts = { removeOnComplete: false };
    const ids = (
      await q.addBulk(Array.from({ length: 300 }, () => ({ name: 'j', data: null, opts })))
    ).map((a) => a.id);
    await waitFor(() => runs.size > 20, 10_000, 'work under way');
    const restarting = broker.restart();
    // Producers keep adding while the broker is away: the store takes the jobs.
    for (let i = 0; i < 5; i++) {
      ids.push((await q.add('during', null, opts)).id);
      await sleep(200);
    }
    await restarting;
    await waitFor(() => backend.connects > 1, 30_000, 'the reconnect');
    for (const a of await q.addBulk(
      Array.from({ length: 50 }, () => ({ name: 'after', data: null, opts })),
    ))
      ids.push(a.id);
    await waitFor(
      async () => (await q.getCounts()).completed === ids.length,
      60_000,
      'every job completed',
    );
    expect(runs.size).toBe(ids.length);
    expect([...runs.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    await w.close();
    await q.close();
    await backend.close();
  }, 150_000);
});
