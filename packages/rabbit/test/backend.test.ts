import { createMemoryBackend } from '@mq/memory';
import { Queue, Worker } from '@mq/core';
import amqplib from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RabbitBackend } from '../src/index.js';
import { amqp, deleteNamedQueues, rabbit, sleep, unique, waitFor } from './helpers.js';
import { TcpProxy, viaProxy } from './tcp-proxy.js';

const NEW_JOB = {
  name: 'raw',
  payload: 'null',
  priority: 0,
  lifo: false,
  delay: 0,
  opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
};

describe.skipIf(amqp.skip !== undefined)('rabbit backend (memory store)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  const opened: RabbitBackend[] = [];
  /** Run after the backends closed (the proxy they connect through). */
  const last: (() => Promise<unknown>)[] = [];
  let raw: amqplib.ChannelModel;
  let ch: amqplib.Channel;

  beforeAll(async () => {
    raw = await amqplib.connect(amqp.url ?? '');
    ch = await raw.createChannel();
  });
  afterAll(async () => {
    await raw.close();
    await deleteNamedQueues();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    for (const b of opened.splice(0)) {
      for (const q of await b.admin.listQueues()) await b.admin.obliterate(q, true);
      await b.close();
    }
    for (const c of last.splice(0)) await c();
  });

  /** Ready messages of a RabbitMQ queue (0 while it is not declared yet). */
  async function depth(queue: string): Promise<number> {
    const c = await raw.createChannel();
    c.on('error', () => undefined);
    try {
      return (await c.checkQueue(queue)).messageCount;
    } catch {
      return 0;
    } finally {
      await c.close().catch(() => undefined);
    }
  }

  function backend(over: Parameters<typeof rabbit>[2] = {}): RabbitBackend {
    const b = rabbit(createMemoryBackend(), unique('b'), over);
    opened.push(b);
    return b;
  }

  function worker(b: RabbitBackend, queue: string, fn: (id: string) => unknown, opts = {}) {
    const w = new Worker(queue, async (job) => fn(job.id), {
      backend: b,
      concurrency: 4,
      leaseMs: 2000,
      stalledIntervalMs: 0,
      // Long idle waits: only a broker delivery can wake these workers in time.
      idleWaitMs: 60_000,
      ...opts,
    });
    closers.push(() => w.close({ timeoutMs: 0 }));
    return w;
  }

  it('each added job is one persistent AMQP message carrying its id, on a quorum queue', async () => {
    const b = backend();
    await b.ready();
    const q = new Queue('carry', { backend: b, events: false });
    closers.push(() => q.close());
    const { id } = await q.add('a', { x: 1 });
    const t = b.topology('carry');
    await waitFor(async () => (await depth(t.main)) === 1, 3000, 'the notice');
    const msg = await ch.get(t.main, { noAck: false });
    expect(msg).not.toBe(false);
    if (msg === false) return;
    expect(msg.content.toString()).toBe(id);
    expect(msg.properties.messageId).toBe(id);
    expect(msg.properties.deliveryMode).toBe(2);
    ch.nack(msg, false, true);
  });

  it('an idle worker is woken by the delivery, not by polling', async () => {
    const b = backend();
    await b.ready();
    const q = new Queue('wake', { backend: b, events: false });
    closers.push(() => q.close());
    const done: string[] = [];
    worker(b, 'wake', (id) => done.push(id));
    await sleep(300);
    const { id } = await q.add('a', null);
    await waitFor(() => done.includes(id), 3000, 'the job to run');
  });

  it('a job written to the store without its publish (producer crash) runs only after the sweep publishes it', async () => {
    const b = backend({ sweepIntervalMs: 3_600_000 });
    await b.ready();
    const done: string[] = [];
    worker(b, 'outbox', (id) => done.push(id));
    await sleep(300);
    // The crash: the store write happened, the publish never did.
    const [added] = await b.store.jobs.add('outbox', [NEW_JOB]);
    const id = added?.id ?? '';
    await sleep(1000);
    expect(done).toEqual([]);
    expect((await b.admin.counts('outbox')).waiting).toBe(1);
    expect(await b.sweep('outbox')).toEqual([id]);
    await waitFor(() => done.includes(id), 3000, 'the swept job to run');
    // Nothing is waiting any more: a second sweep publishes nothing.
    expect(await b.sweep('outbox')).toEqual([]);
  });

  it('the periodic sweep closes the same window by itself', async () => {
    const b = backend({ sweepIntervalMs: 200 });
    await b.ready();
    const done: string[] = [];
    worker(b, 'outbox2', (id) => done.push(id));
    await sleep(300);
    const [added] = await b.store.jobs.add('outbox2', [NEW_JOB]);
    await waitFor(() => done.includes(added?.id ?? ''), 3000, 'the swept job to run');
  });

  it('a redelivered notice of a settled job is recognised and acked without running the job', async () => {
    const b = backend();
    await b.ready();
    const q = new Queue('settled', { backend: b, events: false });
    closers.push(() => q.close());
    const runs: string[] = [];
    const w = worker(b, 'settled', (id) => runs.push(id));
    const { id } = await q.add('a', null);
    await waitFor(async () => (await q.getJob(id))?.state === 'completed', 3000, 'completed');
    // The crash: settled in the store, the ack lost — the broker delivers the notice again.
    ch.sendToQueue(b.topology('settled').main, Buffer.from(id), { persistent: true });
    await sleep(800);
    await w.close();
    expect(runs).toEqual([id]);
    // Acked, not merely held: after the consumer closed nothing went back to the queue.
    expect(await depth(b.topology('settled').main)).toBe(0);
  });

  it('a 300 ms delay behind a 1 h delay fires on time (the store delays, a timer publishes)', async () => {
    const b = backend();
    await b.ready();
    const q = new Queue('delays', { backend: b, events: false });
    closers.push(() => q.close());
    const done = new Map<string, number>();
    worker(b, 'delays', (id) => done.set(id, Date.now()));
    await q.add('late', null, { delay: 3_600_000 });
    const t0 = Date.now();
    const { id } = await q.add('soon', null, { delay: 300 });
    await waitFor(() => done.has(id), 3000, 'the short delay');
    expect((done.get(id) ?? 0) - t0).toBeGreaterThanOrEqual(290);
    expect(done.size).toBe(1);
  });

  it('admin retry and promote publish: an idle worker runs the jobs', async () => {
    const b = backend();
    await b.ready();
    const q = new Queue('admin', { backend: b, events: false });
    closers.push(() => q.close());
    const runs: string[] = [];
    let fail = true;
    worker(b, 'admin', (id) => {
      runs.push(id);
      if (fail) throw new Error('first time');
    });
    const { id } = await q.add('a', null);
    await waitFor(async () => (await q.getJob(id))?.state === 'failed', 3000, 'failed');
    fail = false;
    expect(await b.admin.retry('admin', { ids: [id] })).toEqual([id]);
    await waitFor(async () => (await q.getJob(id))?.state === 'completed', 3000, 'retried');
    const late = await q.add('late', null, { delay: 3_600_000 });
    expect(await b.admin.promote('admin', { ids: [late.id] })).toEqual([late.id]);
    await waitFor(() => runs.includes(late.id), 3000, 'promoted job ran');
  });

  it('cut connections: the backend reconnects, consumers resume, every job completes once', async () => {
    const target = new URL(amqp.url ?? '');
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5672));
    await proxy.start();
    last.push(() => proxy.stop());
    const b = rabbit(createMemoryBackend(), unique('cut'), {
      url: viaProxy(amqp.url ?? '', proxy),
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
      onError: () => undefined,
    });
    opened.push(b);
    await b.ready();
    const q = new Queue('cut', { backend: b, events: false });
    closers.push(() => q.close());
    const runs = new Map<string, number>();
    worker(b, 'cut', async (id) => {
      runs.set(id, (runs.get(id) ?? 0) + 1);
      await sleep(5);
    });
    const ids: string[] = [];
    for (let round = 0; round < 4; round++) {
      const added = await q.addBulk(Array.from({ length: 50 }, () => ({ name: 'j', data: null })));
      ids.push(...added.map((a) => a.id));
      await sleep(100);
      proxy.cut(round === 1 ? 1000 : 0); // once, the "broker" stays away for a second
      await sleep(300);
    }
    // Jobs whose notices were lost while cut are found by the sweep (or the idle wait).
    await waitFor(
      async () => (await q.getCounts()).completed === ids.length,
      20_000,
      'every job completed',
    );
    expect(b.connects).toBeGreaterThan(1);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(ids.length);
    // The consumer is back: a new job is delivered at once to the idle worker.
    const { id } = await q.add('after', null);
    await waitFor(() => runs.has(id), 3000, 'a job after the reconnects');
  }, 40_000);
});
