import { afterAll, describe, expect, it } from 'vitest';
import {
  addAll,
  backend,
  closeAll,
  complete,
  job,
  lease,
  leaseOne,
  sleep,
  svc,
  uniquePrefix,
} from './helpers.js';

const prefix = uniquePrefix('admin');
let n = 0;
const qname = () => `q${++n}`;
const ids = (jobs: { id: string }[]) => jobs.map((j) => j.id);

describe.skipIf(svc.skip !== undefined)('redis backend: administration', () => {
  afterAll(() => closeAll(prefix));

  it('lists each state with paging and both orders', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [
      { id: 'a' },
      { id: 'b', priority: 1 },
      { id: 'c' },
      { id: 'd1', delay: 9000 },
      { id: 'd2', delay: 5000 },
    ]);
    expect(
      ids(await b.admin.list(q, { state: 'waiting', offset: 0, limit: 10, order: 'asc' })),
    ).toEqual(['b', 'a', 'c']);
    expect(
      ids(await b.admin.list(q, { state: 'waiting', offset: 1, limit: 1, order: 'desc' })),
    ).toEqual(['a']);
    expect(
      ids(await b.admin.list(q, { state: 'delayed', offset: 0, limit: 10, order: 'asc' })),
    ).toEqual(['d2', 'd1']);
    const first = await leaseOne(b, q, 60_000);
    await sleep(3);
    await lease(b, q, 1, 1000);
    expect(
      ids(await b.admin.list(q, { state: 'active', offset: 0, limit: 10, order: 'asc' })),
    ).toEqual(['b', 'a']);
    expect(
      ids(await b.admin.list(q, { state: 'active', offset: 0, limit: 1, order: 'desc' })),
    ).toEqual(['a']);
    await complete(b, q, first);
    expect(
      await b.admin.list(q, { state: 'completed', offset: 0, limit: 10, order: 'asc' }),
    ).toMatchObject([{ id: 'b', state: 'completed' }]);
  });

  it('removes non-active jobs with their logs and dedup keys', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'x', dedup: { id: 'dx', ttl: 60_000 } }, { id: 'y' }]);
    const r = await leaseOne(b, q);
    expect(await b.admin.addLog(q, 'x', r.token, 'l1', 2)).toBe(true);
    expect(await b.admin.addLog(q, 'x', r.token, 'l2', 2)).toBe(true);
    expect(await b.admin.addLog(q, 'x', r.token, 'l3', 2)).toBe(true);
    expect(await b.admin.getLogs(q, 'x', 0, 10)).toEqual(['l2', 'l3']);
    expect(await b.admin.remove(q, ['x', 'y', 'ghost'])).toEqual(['y']);
    await complete(b, q, r);
    expect(await b.admin.remove(q, ['x'])).toEqual(['x']);
    expect(await b.admin.getLogs(q, 'x', 0, 10)).toEqual([]);
    expect(await b.admin.getDedupOwner(q, 'dx')).toBeNull();
    expect(await b.admin.counts(q)).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('retries finished jobs with attempts reset, and promotes delayed ones', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'f1' }, { id: 'f2' }, { id: 'd', delay: 60_000 }]);
    for (const r of await lease(b, q, 2)) {
      await b.jobs.settle(q, [
        { kind: 'failed', jobId: r.job.id, token: r.token, error: { name: 'E', message: 'x' } },
      ]);
    }
    expect(await b.admin.retry(q, { state: 'failed', limit: 1 })).toEqual(['f1']);
    expect(await b.admin.retry(q, { ids: ['f2', 'd'] })).toEqual(['f2']);
    const rec = await b.admin.get(q, 'f1');
    expect(rec).toMatchObject({ state: 'waiting', attemptsMade: 0, attemptsStarted: 0 });
    expect(rec?.error).toBeUndefined();
    expect(rec?.finishedAt).toBeUndefined();
    expect(await b.admin.promote(q, { limit: 5 })).toEqual(['d']);
    expect((await b.admin.counts(q)).waiting).toBe(3);
  });

  it('cleans by grace and limit, drains, and obliterates (refusing while active)', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'o1' }, { id: 'o2' }, { id: 'o3', delay: 60_000 }]);
    await sleep(30);
    await addAll(b, q, [{ id: 'n1' }]);
    expect(await b.admin.clean(q, { state: 'waiting', graceMs: 20, limit: 1 })).toEqual(['o1']);
    expect(await b.admin.clean(q, { state: 'waiting', graceMs: 20, limit: 10 })).toEqual(['o2']);
    expect(await b.admin.drain(q, false)).toBe(1);
    expect(await b.admin.counts(q)).toMatchObject({ waiting: 0, delayed: 1 });
    expect(await b.admin.drain(q, true)).toBe(1);
    const [, autoBefore] = await addAll(b, q, [{ id: 'z' }, { delay: 60_000 }]);
    await b.schedules.upsert({
      id: 's',
      queue: q,
      spec: { every: 10 },
      template: { name: 't', payload: '1', priority: 0, lifo: false, opts: job().opts },
      paused: false,
      nextRunAt: 1,
      runCount: 0,
      createdAt: 1,
      updatedAt: 1,
    });
    await b.admin.setGlobalLimits(q, { concurrency: 3 });
    await leaseOne(b, q);
    expect(await b.admin.obliterate(q, false)).toEqual({ status: 'active', count: 1 });
    expect(await b.admin.listQueues()).toContain(q);
    expect(await b.admin.obliterate(q, true)).toEqual({ status: 'ok' });
    expect(await b.admin.counts(q)).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
    expect(await b.schedules.list(q)).toEqual([]);
    expect(await b.admin.listQueues()).not.toContain(q);
    // Ids are never handed out twice, even after obliterate.
    const [autoAfter] = await addAll(b, q, [{}]);
    expect(Number(autoAfter)).toBeGreaterThan(Number(autoBefore));
    expect(await b.admin.listQueues()).toContain(q);
  });

  it('lists queues with jobs, schedules or a pause flag only', async () => {
    const b = backend(prefix);
    const [withJob, paused, empty] = [qname(), qname(), qname()];
    await addAll(b, withJob, [{}]);
    await b.admin.setPaused(paused, true);
    await addAll(b, empty, [{ id: 'gone' }]);
    await b.admin.remove(empty, ['gone']);
    const names = await b.admin.listQueues();
    expect(names).toContain(withJob);
    expect(names).toContain(paused);
    expect(names).not.toContain(empty);
  });
});
