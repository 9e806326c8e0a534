import type { Backend, QueueEvent, ScheduleRecord } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { clocked, job } from './helpers.js';

const Q = 'q';

function schedule(over: Partial<ScheduleRecord> = {}): ScheduleRecord {
  return {
    id: 's1',
    queue: Q,
    spec: { every: 1000 },
    template: {
      name: 'tick',
      payload: 'null',
      priority: 0,
      lifo: false,
      opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
    },
    paused: false,
    nextRunAt: 1000,
    runCount: 0,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

const tick = (expectedRunAt: number, nextRunAt: number | null, withJob = true) => ({
  expectedRunAt,
  nextRunAt,
  firedAt: expectedRunAt + 5,
  job: withJob ? job({ name: 'tick' }) : null,
});

describe('memory backend: schedules', () => {
  it('fire is a compare-and-set: one of many concurrent fires of a tick wins', async () => {
    const { backend: b } = clocked();
    await b.schedules.upsert(schedule());
    const results = await Promise.all(
      Array.from({ length: 10 }, () => b.schedules.fire(Q, 's1', tick(1000, 2000))),
    );
    expect(results.filter((r) => r.status === 'fired')).toEqual([{ status: 'fired', jobId: '1' }]);
    expect((await b.admin.counts(Q)).waiting).toBe(1);
    expect(await b.schedules.get(Q, 's1')).toMatchObject({
      nextRunAt: 2000,
      lastRunAt: 1000,
      lastFiredAt: 1005,
      runCount: 1,
    });
  });

  it('a paused, missing or moved schedule is stale and nothing is written', async () => {
    const { backend: b } = clocked();
    expect(await b.schedules.fire(Q, 'nope', tick(1000, 2000))).toEqual({ status: 'stale' });
    await b.schedules.upsert(schedule());
    expect(await b.schedules.fire(Q, 's1', tick(999, 2000))).toEqual({ status: 'stale' });
    expect(await b.schedules.setPaused(Q, 's1', true)).toBe(true);
    expect(await b.schedules.fire(Q, 's1', tick(1000, 2000))).toEqual({ status: 'stale' });
    expect((await b.admin.counts(Q)).waiting).toBe(0);
    expect(await b.schedules.get(Q, 's1')).toMatchObject({ runCount: 0, nextRunAt: 1000 });
  });

  it('a null job skips the tick: only nextRunAt moves', async () => {
    const { backend: b } = clocked();
    await b.schedules.upsert(schedule());
    expect(await b.schedules.fire(Q, 's1', tick(1000, 3000, false))).toEqual({
      status: 'fired',
      jobId: '',
    });
    const s = await b.schedules.get(Q, 's1');
    expect(s).toMatchObject({ nextRunAt: 3000, runCount: 0 });
    expect(s?.lastRunAt).toBeUndefined();
    expect((await b.admin.counts(Q)).waiting).toBe(0);
  });

  it('upsert keeps the run history and creation time, replaces the rest', async () => {
    const { backend: b } = clocked();
    await b.schedules.upsert(schedule());
    await b.schedules.fire(Q, 's1', tick(1000, 2000));
    await b.schedules.upsert(
      schedule({
        spec: { every: 5000 },
        nextRunAt: 7000,
        createdAt: 99,
        runCount: 0,
        updatedAt: 50,
      }),
    );
    expect(await b.schedules.get(Q, 's1')).toMatchObject({
      spec: { every: 5000 },
      nextRunAt: 7000,
      runCount: 1,
      lastRunAt: 1000,
      createdAt: 1,
      updatedAt: 50,
    });
    expect(await b.admin.listQueues()).toEqual([Q]);
    expect(await b.schedules.remove(Q, 's1')).toBe(true);
    expect(await b.schedules.list(Q)).toEqual([]);
  });
});

describe('memory backend: locks and workers', () => {
  it('locks exclude other owners until released or expired', async () => {
    const { backend: b, clock } = clocked();
    expect(await b.locks.acquire('L', 'a', 1000)).toBe(true);
    expect(await b.locks.acquire('L', 'b', 1000)).toBe(false);
    expect(await b.locks.acquire('L', 'a', 1000)).toBe(true);
    expect(await b.locks.renew('L', 'b', 1000)).toBe(false);
    expect(await b.locks.release('L', 'b')).toBe(false);
    clock.advance(999);
    expect(await b.locks.renew('L', 'a', 1000)).toBe(true);
    clock.advance(1000);
    expect(await b.locks.renew('L', 'a', 1000)).toBe(false);
    expect(await b.locks.acquire('L', 'b', 1000)).toBe(true);
    expect(await b.locks.release('L', 'b')).toBe(true);
    expect(await b.locks.acquire('L', 'a', 1000)).toBe(true);
  });

  it('lists workers until their ttl passes or they unregister', async () => {
    const { backend: b, clock } = clocked();
    const info = { kind: 'worker' as const, host: 'h', pid: 1, concurrency: 2, startedAt: 0 };
    await b.workers.heartbeat({ ...info, id: 'w1', queue: Q }, 1000);
    await b.workers.heartbeat({ ...info, id: 'w2', queue: 'other' }, 5000);
    await b.workers.heartbeat({ ...info, id: 's1', kind: 'scheduler', queue: `x,${Q}` }, 5000);
    expect((await b.workers.list(Q)).map((w) => w.id)).toEqual(['w1', 's1']);
    expect((await b.workers.list())[0]).toMatchObject({ id: 'w1', lastSeen: clock.t });
    clock.advance(1000);
    expect((await b.workers.list()).map((w) => w.id)).toEqual(['w2', 's1']);
    await b.workers.unregister('w2');
    expect((await b.workers.list()).map((w) => w.id)).toEqual(['s1']);
  });
});

describe('memory backend: events', () => {
  const publish = (b: Backend, queue: string, n: number) =>
    b.events.publish(
      queue,
      Array.from({ length: n }, (_, i) => ({
        type: 'added' as const,
        jobId: String(i + 1),
        at: i,
      })),
    );

  it('delivers in publish order with increasing ids, per queue', async () => {
    const { backend: b } = clocked();
    const got: QueueEvent[] = [];
    const off = await b.events.subscribe([Q, 'other'], (e) => got.push(e));
    await publish(b, Q, 2);
    await publish(b, 'other', 1);
    await off();
    await publish(b, Q, 1);
    expect(got.map((e) => [e.queue, e.id, e.jobId])).toEqual([
      [Q, '1', '1'],
      [Q, '2', '2'],
      ['other', '1', '1'],
    ]);
  });

  it('unsubscribe ends only its own subscription of a shared listener', async () => {
    const { backend: b } = clocked();
    const got: string[] = [];
    const listener = (e: QueueEvent) => got.push(e.id);
    const off = await b.events.subscribe([Q], listener);
    await b.events.subscribe([Q], listener);
    await off();
    await publish(b, Q, 1);
    expect(got).toEqual(['1']);
  });

  it('replays the bounded history after fromId', async () => {
    const { backend: b } = clocked(3);
    await publish(b, Q, 5);
    const got: string[] = [];
    await b.events.subscribe([Q], (e) => got.push(e.id), '1');
    expect(got).toEqual(['3', '4', '5']);
    const later: string[] = [];
    await b.events.subscribe([Q], (e) => later.push(e.id), '4');
    await publish(b, Q, 1);
    expect(later).toEqual(['5', '6']);
  });

  it('a throwing listener does not disturb the publisher or other listeners', async () => {
    const { backend: b } = clocked();
    const got: string[] = [];
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    await b.events.subscribe([Q], () => {
      throw new Error('listener bug');
    });
    await b.events.subscribe([Q], (e) => got.push(e.id));
    await publish(b, Q, 1);
    expect(got).toEqual(['1']);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings.some((m) => m.includes('listener bug'))).toBe(true);
  });
});
