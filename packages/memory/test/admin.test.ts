import { describe, expect, it } from 'vitest';
import { addAll, clocked, complete, fail, lease, leaseOne } from './helpers.js';

const Q = 'q';

describe('memory backend: administration', () => {
  it('counts, lists and pages every state in its order', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ delay: 300 }, { delay: 100 }, {}, {}, {}, {}]);
    const [r3, r4, r5] = await lease(b, Q, 3);
    clock.advance(1);
    const r6 = await leaseOne(b, Q);
    await complete(b, Q, r4!);
    clock.advance(1);
    await complete(b, Q, r3!);
    await fail(b, Q, r5!);
    expect(await b.admin.counts(Q)).toEqual({
      waiting: 0,
      delayed: 2,
      active: 1,
      completed: 2,
      failed: 1,
    });
    const ids = async (
      state: 'delayed' | 'active' | 'completed',
      order: 'asc' | 'desc',
      offset = 0,
      limit = 10,
    ) => (await b.admin.list(Q, { state, offset, limit, order })).map((j) => j.id);
    expect(await ids('delayed', 'asc')).toEqual(['2', '1']);
    expect(await ids('delayed', 'desc')).toEqual(['1', '2']);
    expect(await ids('active', 'asc')).toEqual([r6.job.id]);
    expect(await ids('completed', 'asc')).toEqual(['4', '3']);
    expect(await ids('completed', 'desc', 1, 1)).toEqual(['4']);
    expect(await b.admin.counts('other')).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('remove skips active jobs; retry resets attempts; promote makes delayed waiting now', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{}, {}, { delay: 500 }, { delay: 100 }]);
    const [r1, r2] = await lease(b, Q, 2);
    expect(await b.admin.remove(Q, ['1', 'missing'])).toEqual([]);
    await fail(b, Q, r1!);
    await complete(b, Q, r2!);
    expect(await b.admin.retry(Q, { ids: ['1', '3'] })).toEqual(['1']);
    expect(await b.admin.get(Q, '1')).toMatchObject({
      state: 'waiting',
      attemptsMade: 0,
      attemptsStarted: 0,
      runAt: clock.t,
    });
    expect((await b.admin.get(Q, '1'))?.error).toBeUndefined();
    expect(await b.admin.retry(Q, { state: 'completed', limit: 5 })).toEqual(['2']);
    expect((await b.admin.get(Q, '2'))?.result).toBeUndefined();
    expect(await b.admin.promote(Q, { limit: 1 })).toEqual(['4']);
    expect(await b.admin.get(Q, '4')).toMatchObject({ state: 'waiting', runAt: clock.t });
    expect(await b.admin.promote(Q, { ids: ['3', '1'] })).toEqual(['3']);
    expect(await b.admin.remove(Q, ['3'])).toEqual(['3']);
    expect((await b.admin.counts(Q)).waiting).toBe(3);
  });

  it('clean removes the oldest past the grace, up to the limit', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{}, {}, {}]);
    for (const r of await lease(b, Q, 3)) {
      await complete(b, Q, r);
      clock.advance(100);
    }
    // finishedAt: t, t+100, t+200; now t+300.
    expect(await b.admin.clean(Q, { state: 'completed', graceMs: 150, limit: 1 })).toEqual(['1']);
    expect(await b.admin.clean(Q, { state: 'completed', graceMs: 150, limit: 10 })).toEqual(['2']);
    await addAll(b, Q, [{}, { delay: 10 }]);
    clock.advance(50);
    await addAll(b, Q, [{}]);
    expect(await b.admin.clean(Q, { state: 'waiting', graceMs: 10, limit: 10 })).toEqual(['4']);
    expect(await b.admin.clean(Q, { state: 'delayed', graceMs: 60, limit: 10 })).toEqual([]);
    expect(await b.admin.clean(Q, { state: 'delayed', graceMs: 10, limit: 10 })).toEqual(['5']);
  });

  it('drain removes waiting (and delayed when asked), never active', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{}, {}, {}, { delay: 100 }]);
    await leaseOne(b, Q);
    expect(await b.admin.drain(Q, false)).toBe(2);
    expect(await b.admin.counts(Q)).toMatchObject({ waiting: 0, delayed: 1, active: 1 });
    expect(await b.admin.drain(Q, true)).toBe(1);
    expect(await b.admin.counts(Q)).toMatchObject({ delayed: 0, active: 1 });
  });

  it('obliterate refuses while jobs are active unless forced, then leaves nothing', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{ dedup: { id: 'k', ttl: 60_000 } }, {}]);
    await b.admin.setPaused(Q, true);
    await b.admin.setPaused(Q, false);
    const r = await leaseOne(b, Q);
    await b.admin.setPaused(Q, true);
    await b.schedules.upsert({
      id: 's',
      queue: Q,
      spec: { every: 1000 },
      template: {
        name: 't',
        payload: 'null',
        priority: 0,
        lifo: false,
        opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
      },
      paused: false,
      nextRunAt: 1,
      runCount: 0,
      createdAt: 1,
      updatedAt: 1,
    });
    expect(await b.admin.obliterate(Q, false)).toEqual({ status: 'active', count: 1 });
    expect((await b.admin.counts(Q)).active).toBe(1);
    expect(await b.admin.obliterate(Q, true)).toEqual({ status: 'ok' });
    expect(await complete(b, Q, r)).toBe('lost');
    expect(await b.admin.listQueues()).toEqual([]);
    expect(await b.admin.isPaused(Q)).toBe(false);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
    expect(await b.schedules.list(Q)).toEqual([]);
    // Ids are not reused after obliterate.
    expect(await addAll(b, Q, [{}])).toEqual(['3']);
  });

  it('cancel fails waiting jobs, flags active ones, refuses finished ones', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{}, { dedup: { id: 'k' } }]);
    const r = await leaseOne(b, Q);
    expect(await b.admin.cancel(Q, '2')).toBe('cancelled');
    expect(await b.admin.get(Q, '2')).toMatchObject({
      state: 'failed',
      error: { name: 'CancelledError', message: 'cancelled' },
    });
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
    expect(await b.admin.cancel(Q, '1')).toBe('signalled');
    expect((await b.admin.get(Q, '1'))?.cancelRequested).toBe(true);
    expect(await b.jobs.extend(Q, [{ jobId: '1', token: r.token }], 1000)).toEqual(['cancelled']);
    expect(await b.admin.cancel(Q, '2')).toBe('not-cancellable');
    expect(await b.admin.cancel(Q, 'nope')).toBe('not-cancellable');
  });

  it('keeps the last `keep` log lines and pages them oldest first', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{}]);
    const r = await leaseOne(b, Q);
    for (let i = 1; i <= 5; i++)
      expect(await b.admin.addLog(Q, '1', r.token, `l${i}`, 3)).toBe(true);
    expect(await b.admin.getLogs(Q, '1', 0, 10)).toEqual(['l3', 'l4', 'l5']);
    expect(await b.admin.getLogs(Q, '1', 1, 1)).toEqual(['l4']);
  });
});
