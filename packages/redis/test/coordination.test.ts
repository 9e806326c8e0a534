import type { QueueEvent, ScheduleRecord } from '@mq/core';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, closeAll, job, sleep, svc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('coord');
let n = 0;
const qname = () => `q${++n}`;

function schedule(queue: string, id: string, nextRunAt: number): ScheduleRecord {
  return {
    id,
    queue,
    spec: { every: 1000 },
    template: {
      name: 'tick',
      payload: '{}',
      priority: 0,
      lifo: false,
      opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
    },
    paused: false,
    nextRunAt,
    runCount: 0,
    createdAt: 1,
    updatedAt: 1,
  };
}

/** Waits until `cond()` holds, polling every 10 ms, up to `ms`. */
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe.skipIf(svc.skip !== undefined)('redis backend: coordination', () => {
  afterAll(() => closeAll(prefix));

  it('fires a tick once across 10 concurrent schedulers (compare-and-set)', async () => {
    const schedulers = Array.from({ length: 10 }, () => backend(prefix));
    const q = qname();
    await schedulers[0]!.schedules.upsert(schedule(q, 's1', 1000));
    const results = await Promise.all(
      schedulers.map((s) =>
        s.schedules.fire(q, 's1', {
          expectedRunAt: 1000,
          nextRunAt: 2000,
          firedAt: 1005,
          job: job(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fired')).toHaveLength(1);
    expect((await schedulers[0]!.admin.counts(q)).waiting).toBe(1);
    expect(await schedulers[1]!.schedules.get(q, 's1')).toMatchObject({
      nextRunAt: 2000,
      lastRunAt: 1000,
      lastFiredAt: 1005,
      runCount: 1,
    });
    // Upsert keeps the run history; a paused schedule never fires.
    await schedulers[2]!.schedules.upsert({
      ...schedule(q, 's1', 2000),
      paused: true,
      createdAt: 99,
    });
    expect(await schedulers[2]!.schedules.get(q, 's1')).toMatchObject({
      runCount: 1,
      createdAt: 1,
      paused: true,
    });
    expect(
      await schedulers[3]!.schedules.fire(q, 's1', {
        expectedRunAt: 2000,
        nextRunAt: 3000,
        firedAt: 2001,
        job: job(),
      }),
    ).toEqual({ status: 'stale' });
    expect(await schedulers[3]!.schedules.setPaused(q, 's1', false)).toBe(true);
    const fired = await schedulers[3]!.schedules.fire(q, 's1', {
      expectedRunAt: 2000,
      nextRunAt: null,
      firedAt: 2001,
      job: job({ id: 'tick-2000' }),
    });
    expect(fired).toEqual({ status: 'fired', jobId: 'tick-2000' });
    expect((await schedulers[0]!.schedules.get(q, 's1'))?.nextRunAt).toBeNull();
    expect((await schedulers[0]!.schedules.list(q)).map((s) => s.id)).toEqual(['s1']);
    expect(await schedulers[0]!.schedules.remove(q, 's1')).toBe(true);
    expect(await schedulers[0]!.schedules.remove(q, 's1')).toBe(false);
    expect(await schedulers[0]!.schedules.get(q, 's1')).toBeNull();
  });

  it('delivers events across two backend instances, in order, with increasing ids', async () => {
    const pub = backend(prefix);
    const sub = backend(prefix);
    const q1 = qname();
    const q2 = qname();
    const got: QueueEvent[] = [];
    const unsubscribe = await sub.events.subscribe([q1, q2], (e) => got.push(e));
    await pub.events.publish(q1, [
      { type: 'added', jobId: '1', at: 10 },
      { type: 'completed', jobId: '1', at: 11, data: { result: '"ok"' } },
    ]);
    await pub.events.publish(q2, [{ type: 'paused', at: 12 }]);
    await until(() => got.length === 3);
    const inQ1 = got.filter((e) => e.queue === q1);
    expect(inQ1.map((e) => e.type)).toEqual(['added', 'completed']);
    expect(Number(inQ1[1]!.id)).toBeGreaterThan(Number(inQ1[0]!.id));
    expect(inQ1[1]).toMatchObject({ jobId: '1', at: 11, data: { result: '"ok"' } });
    const paused = got.find((e) => e.queue === q2);
    expect(paused).toEqual({ id: paused?.id, queue: q2, type: 'paused', at: 12 });
    expect(paused?.id).toMatch(/^\d+$/);
    await unsubscribe();
    await pub.events.publish(q1, [{ type: 'removed', jobId: '1', at: 13 }]);
    // Replay from an id (history kept in the stream).
    const replay: QueueEvent[] = [];
    const u2 = await sub.events.subscribe([q1], (e) => replay.push(e), inQ1[0]!.id);
    await until(() => replay.length === 2);
    expect(replay.map((e) => e.type)).toEqual(['completed', 'removed']);
    expect(Number(replay[1]!.id)).toBeGreaterThan(Number(replay[0]!.id));
    await u2();
    expect(got).toHaveLength(3);
    // Replay from the middle of one publish batch starts right after that event.
    const again: QueueEvent[] = [];
    const u3 = await sub.events.subscribe([q1], (e) => again.push(e), inQ1[1]!.id);
    await until(() => again.length === 1);
    expect(again.map((e) => e.type)).toEqual(['removed']);
    await u3();
  });

  it('excludes lock holders across two instances; renew and release by the owner only', async () => {
    const a = backend(prefix);
    const b = backend(prefix);
    const name = `lock-${qname()}`;
    expect(await a.locks.acquire(name, 'A', 200)).toBe(true);
    expect(await b.locks.acquire(name, 'B', 200)).toBe(false);
    expect(await a.locks.acquire(name, 'A', 200)).toBe(true);
    expect(await b.locks.renew(name, 'B', 200)).toBe(false);
    expect(await a.locks.renew(name, 'A', 200)).toBe(true);
    expect(await b.locks.release(name, 'B')).toBe(false);
    expect(await a.locks.release(name, 'A')).toBe(true);
    expect(await b.locks.acquire(name, 'B', 50)).toBe(true);
    await sleep(80);
    expect(await a.locks.acquire(name, 'A', 200)).toBe(true);
  });

  it('lists live worker heartbeats and forgets expired ones', async () => {
    const a = backend(prefix);
    const b = backend(prefix);
    const q = qname();
    const info = {
      kind: 'worker' as const,
      queue: q,
      host: 'h',
      pid: 1,
      concurrency: 2,
      startedAt: 5,
    };
    await a.workers.heartbeat({ ...info, id: `${q}-w1` }, 60_000);
    await a.workers.heartbeat({ ...info, id: `${q}-w2` }, 400);
    await a.workers.heartbeat(
      { ...info, id: `${q}-s`, kind: 'scheduler', queue: `x,${q}` },
      60_000,
    );
    expect((await b.workers.list(q)).map((w) => w.id).sort()).toEqual([
      `${q}-s`,
      `${q}-w1`,
      `${q}-w2`,
    ]);
    await sleep(500);
    const live = await b.workers.list(q);
    expect(live.map((w) => w.id).sort()).toEqual([`${q}-s`, `${q}-w1`]);
    expect(Math.abs((live[0]?.lastSeen ?? 0) - Date.now())).toBeLessThan(2000);
    await b.workers.unregister(`${q}-w1`);
    expect((await a.workers.list(q)).map((w) => w.id)).toEqual([`${q}-s`]);
  });
});
