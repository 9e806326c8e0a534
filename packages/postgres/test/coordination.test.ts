import type { QueueEvent, ScheduleRecord } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { job, sleep, svc, TestSchema } from './helpers.js';

const t = new TestSchema('coord');
let n = 0;
const qname = () => `q${++n}`;

function schedule(queue: string, id: string, nextRunAt: number): ScheduleRecord {
  return {
    id,
    queue,
    spec: { every: 1000 },
    template: { name: 'tick', payload: 'null', priority: 0, lifo: false, opts: job().opts },
    paused: false,
    nextRunAt,
    runCount: 0,
    createdAt: Date.now(),
    updatedAt: Date.now(),
  };
}

describe.skipIf(svc.skip !== undefined)('postgres coordination', () => {
  beforeAll(() => t.setup());
  afterAll(() => t.teardown());

  it('fire is a compare-and-set: 10 schedulers on 2 backends fire a tick once', async () => {
    const backends = [await t.backend(), await t.backend()];
    const q = qname();
    const at = Date.now();
    await backends[0]!.schedules.upsert(schedule(q, 's1', at));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        backends[i % 2]!.schedules.fire(q, 's1', {
          expectedRunAt: at,
          nextRunAt: at + 1000,
          firedAt: Date.now(),
          job: job({ name: 'tick' }),
        }),
      ),
    );
    const fired = results.filter((r) => r.status === 'fired');
    expect(fired).toHaveLength(1);
    expect(await backends[1]!.admin.counts(q)).toMatchObject({ waiting: 1 });
    expect(await backends[1]!.schedules.get(q, 's1')).toMatchObject({
      nextRunAt: at + 1000,
      lastRunAt: at,
      runCount: 1,
    });
    // A stale tick writes nothing, a paused schedule fires nothing.
    const stale = await backends[0]!.schedules.fire(q, 's1', {
      expectedRunAt: at,
      nextRunAt: at + 2000,
      firedAt: Date.now(),
      job: job(),
    });
    expect(stale).toEqual({ status: 'stale' });
    await backends[0]!.schedules.setPaused(q, 's1', true);
    const paused = await backends[0]!.schedules.fire(q, 's1', {
      expectedRunAt: at + 1000,
      nextRunAt: at + 2000,
      firedAt: Date.now(),
      job: job(),
    });
    expect(paused).toEqual({ status: 'stale' });
    expect(await backends[1]!.admin.counts(q)).toMatchObject({ waiting: 1 });
  });

  it('upsert keeps the run history of an existing schedule', async () => {
    const b = await t.backend();
    const q = qname();
    await b.schedules.upsert(schedule(q, 's', 1000));
    await b.schedules.fire(q, 's', {
      expectedRunAt: 1000,
      nextRunAt: 2000,
      firedAt: 1005,
      job: job(),
    });
    await b.schedules.upsert({ ...schedule(q, 's', 5000), spec: { every: 4000 }, createdAt: 1 });
    expect(await b.schedules.get(q, 's')).toMatchObject({
      spec: { every: 4000 },
      nextRunAt: 5000,
      runCount: 1,
      lastRunAt: 1000,
      lastFiredAt: 1005,
    });
    expect(await b.schedules.list(q)).toHaveLength(1);
    expect(await b.schedules.remove(q, 's')).toBe(true);
    expect(await b.schedules.get(q, 's')).toBeNull();
  });

  it('locks exclude each other across backends and expire by their TTL', async () => {
    const one = await t.backend();
    const two = await t.backend();
    const name = `lock-${qname()}`;
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).locks.acquire(name, `o${i}`, 200)),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
    const holder = `o${tries.indexOf(true)}`;
    expect(await one.locks.renew(name, 'other', 200)).toBe(false);
    expect(await two.locks.release(name, 'other')).toBe(false);
    expect(await two.locks.renew(name, holder, 200)).toBe(true);
    expect(await one.locks.acquire(name, holder, 200)).toBe(true);
    await sleep(250);
    expect(await two.locks.acquire(name, 'late', 5000)).toBe(true);
    expect(await one.locks.renew(name, holder, 200)).toBe(false);
    expect(await one.locks.release(name, 'late')).toBe(true);
    expect(await two.locks.acquire(name, 'next', 5000)).toBe(true);
  });

  it('events published on one backend reach a subscriber on another, in order', async () => {
    const pub = await t.backend();
    const sub = await t.backend();
    const q = qname();
    const got: QueueEvent[] = [];
    const stop = await sub.events.subscribe([q], (e) => got.push(e));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pub.events.publish(q, [
          { type: 'progress', jobId: String(i), at: Date.now(), data: { i } },
        ]),
      ),
    );
    for (let i = 0; i < 100 && got.length < 50; i++) await sleep(20);
    expect(got.map((e) => e.jobId)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    const ids = got.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(got[7]).toMatchObject({ queue: q, type: 'progress', data: { i: 7 } });
    await stop();
    // Replay from an id delivers the history after it.
    const replay: QueueEvent[] = [];
    const stop2 = await sub.events.subscribe([q], (e) => replay.push(e), got[44]!.id);
    for (let i = 0; i < 100 && replay.length < 5; i++) await sleep(20);
    expect(replay.map((e) => e.jobId)).toEqual(['45', '46', '47', '48', '49']);
    await stop2();
  });

  it('worker heartbeats are shared and expire', async () => {
    const one = await t.backend();
    const two = await t.backend();
    const q = qname();
    const info = {
      kind: 'worker' as const,
      queue: q,
      host: 'h',
      pid: 1,
      concurrency: 4,
      startedAt: Date.now(),
    };
    await one.workers.heartbeat({ ...info, id: `${q}-a` }, 5000);
    await one.workers.heartbeat({ ...info, id: `${q}-b` }, 50);
    await one.workers.heartbeat(
      { ...info, id: `${q}-s`, kind: 'scheduler', queue: `x,${q}` },
      5000,
    );
    expect((await two.workers.list(q)).map((w) => w.id)).toEqual([`${q}-a`, `${q}-b`, `${q}-s`]);
    await sleep(80);
    expect((await two.workers.list(q)).map((w) => w.id)).toEqual([`${q}-a`, `${q}-s`]);
    await two.workers.unregister(`${q}-a`);
    expect((await one.workers.list(q)).map((w) => w.id)).toEqual([`${q}-s`]);
  });
});
