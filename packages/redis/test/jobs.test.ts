import { afterAll, describe, expect, it } from 'vitest';
import {
  addAll,
  backend,
  closeAll,
  complete,
  drainOrder,
  job,
  lease,
  leaseOne,
  sleep,
  svc,
  uniquePrefix,
} from './helpers.js';

const prefix = uniquePrefix('jobs');
let n = 0;
const qname = () => `q${++n}`;

describe.skipIf(svc.skip !== undefined)('redis backend: jobs', () => {
  afterAll(() => closeAll(prefix));

  it('assigns increasing decimal ids and records the initial fields', async () => {
    const b = backend(prefix);
    const q = qname();
    const before = Date.now();
    expect(await addAll(b, q, [{}, { delay: 5000 }])).toEqual(['1', '2']);
    const w = await b.admin.get(q, '1');
    expect(w).toMatchObject({ state: 'waiting', attemptsMade: 0, attemptsStarted: 0, stalls: 0 });
    expect(Math.abs((w?.createdAt ?? 0) - before)).toBeLessThan(1000);
    const d = await b.admin.get(q, '2');
    expect(d?.state).toBe('delayed');
    expect((d?.runAt ?? 0) - (d?.createdAt ?? 0)).toBe(5000);
    expect(await b.admin.get(q, 'nope')).toBeNull();
  });

  it('returns the existing job for a custom id in any state', async () => {
    const b = backend(prefix);
    const q = qname();
    expect(await b.jobs.add(q, [job({ id: 'a' }), job({ id: 'a' })])).toEqual([
      { status: 'added', id: 'a' },
      { status: 'duplicate', id: 'a' },
    ]);
    await complete(b, q, await leaseOne(b, q));
    expect(await b.jobs.add(q, [job({ id: 'a', payload: '2' })])).toEqual([
      { status: 'duplicate', id: 'a' },
    ]);
    expect((await b.admin.get(q, 'a'))?.payload).toBe('null');
  });

  it('orders by priority desc, LIFO before FIFO within a priority, FIFO by add order', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [
      { id: 'a' },
      { id: 'b' },
      { id: 'c', priority: 5 },
      { id: 'd', lifo: true },
      { id: 'e', lifo: true },
      { id: 'f', priority: 5 },
      { id: 'g', priority: 2_097_151 },
    ]);
    expect(await drainOrder(b, q)).toEqual(['g', 'c', 'f', 'e', 'd', 'a', 'b']);
  });

  it('fences every transition by the lease token', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'j' }]);
    const first = await leaseOne(b, q, 50);
    await sleep(80);
    expect(await b.jobs.recoverExpired(q, { maxStalls: 5, limit: 10 })).toEqual({
      recovered: ['j'],
      failed: [],
    });
    const [second] = await lease(b, q, 1, 30_000, 'w2');
    expect(second?.token).not.toBe(first.token);
    expect(second?.job).toMatchObject({ stalls: 1, attemptsStarted: 2, workerId: 'w2' });
    expect(await complete(b, q, first)).toBe('lost');
    expect(await b.jobs.extend(q, [{ jobId: 'j', token: first.token }], 1000)).toEqual(['lost']);
    expect(await b.admin.setProgress(q, 'j', first.token, '5')).toBe(false);
    expect(await b.admin.addLog(q, 'j', first.token, 'x', 10)).toBe(false);
    expect(await b.admin.setProgress(q, 'j', second!.token, '7')).toBe(true);
    expect(await b.jobs.extend(q, [{ jobId: 'j', token: second!.token }], 1000)).toEqual([
      'extended',
    ]);
    expect(await complete(b, q, second!, '"r"')).toBe('ok');
    expect(await b.admin.get(q, 'j')).toMatchObject({
      state: 'completed',
      attemptsMade: 1,
      result: '"r"',
      progress: '7',
    });
    const rec = await b.admin.get(q, 'j');
    expect(rec?.workerId).toBeUndefined();
    expect(rec?.leaseExpiresAt).toBeUndefined();
    expect(await complete(b, q, second!)).toBe('lost');
  });

  it('promotes a due delayed job inside reserve (no scanner)', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [
      { id: 'later', delay: 150 },
      { id: 'hi', delay: 100, priority: 3 },
    ]);
    expect(await lease(b, q)).toEqual([]);
    await sleep(200);
    expect((await lease(b, q, 5)).map((r) => r.job.id)).toEqual(['hi', 'later']);
  });

  it('settles a batch and reserves the next ones in the same call', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: '1a' }, { id: '1b' }, { id: '1c' }, { id: '1d' }, { id: '1e' }]);
    const held = await lease(b, q, 4);
    const err = { name: 'Error', message: 'boom', stack: 'at x' };
    const res = await b.jobs.settle(
      q,
      [
        { kind: 'completed', jobId: '1a', token: held[0]!.token },
        {
          kind: 'retry',
          jobId: '1b',
          token: held[1]!.token,
          runAt: Date.now() + 60_000,
          error: err,
        },
        { kind: 'failed', jobId: '1c', token: held[2]!.token, error: err },
        { kind: 'released', jobId: '1d', token: held[3]!.token },
        { kind: 'completed', jobId: '1d', token: 'forged' },
      ],
      { workerId: 'w9', max: 5, leaseMs: 1000 },
    );
    expect(res.results).toEqual(['ok', 'ok', 'ok', 'ok', 'lost']);
    expect(res.next?.jobs.map((r) => r.job.id)).toEqual(['1d', '1e']);
    expect(res.next?.jobs[0]?.job).toMatchObject({ attemptsStarted: 1, workerId: 'w9' });
    expect(await b.admin.get(q, '1a')).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect((await b.admin.get(q, '1a'))?.result).toBeUndefined();
    expect(await b.admin.get(q, '1b')).toMatchObject({
      state: 'delayed',
      attemptsMade: 1,
      error: err,
    });
    expect(await b.admin.get(q, '1c')).toMatchObject({ state: 'failed', error: err });
    expect(await b.admin.counts(q)).toEqual({
      waiting: 0,
      delayed: 1,
      active: 2,
      completed: 1,
      failed: 1,
    });
  });

  it('releases a lease as if it never started', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'r' }]);
    const first = await leaseOne(b, q, 20);
    await sleep(40);
    await b.jobs.recoverExpired(q, { maxStalls: 5, limit: 10 });
    await sleep(5);
    const second = await leaseOne(b, q);
    expect(second.job.startedAt).toBeGreaterThan(first.job.startedAt ?? 0);
    expect(await b.jobs.settle(q, [{ kind: 'released', jobId: 'r', token: second.token }])).toEqual(
      {
        results: ['ok'],
      },
    );
    const rec = await b.admin.get(q, 'r');
    expect(rec).toMatchObject({ state: 'waiting', attemptsStarted: 1, attemptsMade: 0 });
    expect(rec?.startedAt).toBe(first.job.startedAt);
    expect((await leaseOne(b, q)).job.id).toBe('r');
  });

  it('fails a job that stalls more than maxStalls times', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 's', dedup: { id: 'dd' } }]);
    await leaseOne(b, q, 20);
    await sleep(40);
    expect((await b.jobs.recoverExpired(q, { maxStalls: 1, limit: 10 })).recovered).toEqual(['s']);
    await leaseOne(b, q, 20);
    await sleep(40);
    expect(await b.jobs.recoverExpired(q, { maxStalls: 1, limit: 10 })).toEqual({
      recovered: [],
      failed: ['s'],
    });
    expect(await b.admin.get(q, 's')).toMatchObject({
      state: 'failed',
      stalls: 2,
      error: { name: 'StalledError', message: 'job stalled more than maxStalls times' },
    });
    expect(await b.admin.getDedupOwner(q, 'dd')).toBeNull();
  });

  it('applies retention on complete by count, and deletes at once with true', async () => {
    const b = backend(prefix);
    const q = qname();
    const keep2 = { attempts: 1, removeOnComplete: 2, removeOnFail: true };
    await addAll(
      b,
      q,
      [1, 2, 3, 4].map((i) => ({ id: `k${i}`, opts: keep2 })),
    );
    for (const r of await lease(b, q, 3)) {
      await complete(b, q, r);
      await sleep(2);
    }
    expect(
      (await b.admin.list(q, { state: 'completed', offset: 0, limit: 10, order: 'asc' })).map(
        (j) => j.id,
      ),
    ).toEqual(['k2', 'k3']);
    const last = await leaseOne(b, q);
    await b.jobs.settle(q, [
      { kind: 'failed', jobId: last.job.id, token: last.token, error: { name: 'E', message: 'm' } },
    ]);
    expect(await b.admin.get(q, 'k4')).toBeNull();
    expect(await b.admin.get(q, 'k1')).toBeNull();
  });

  it('applies age retention', async () => {
    const b = backend(prefix);
    const q = qname();
    const aged = { attempts: 1, removeOnComplete: { age: 50 }, removeOnFail: false };
    await addAll(b, q, [
      { id: 'old', opts: aged },
      { id: 'new', opts: aged },
    ]);
    await complete(b, q, await leaseOne(b, q));
    await sleep(80);
    await complete(b, q, await leaseOne(b, q));
    expect(await b.admin.get(q, 'old')).toBeNull();
    expect((await b.admin.get(q, 'new'))?.state).toBe('completed');
  });

  it('applies age and count retention together', async () => {
    const b = backend(prefix);
    const q = qname();
    const both = { attempts: 1, removeOnComplete: { age: 300, count: 2 }, removeOnFail: false };
    await addAll(
      b,
      q,
      [1, 2, 3, 4].map((i) => ({ id: `r${i}`, opts: both })),
    );
    for (const r of await lease(b, q, 3)) await complete(b, q, r);
    const kept = (s: 'completed') =>
      b.admin.list(q, { state: s, offset: 0, limit: 10, order: 'asc' });
    expect((await kept('completed')).map((j) => j.id)).toEqual(['r2', 'r3']);
    await sleep(400);
    await complete(b, q, await leaseOne(b, q));
    expect((await kept('completed')).map((j) => j.id)).toEqual(['r4']);
    expect(await b.admin.get(q, 'r2')).toBeNull();
  });

  it('enforces a queue-global rate limit across instances', async () => {
    const a = backend(prefix);
    const b = backend(prefix);
    const q = qname();
    await a.admin.setGlobalLimits(q, { rate: { max: 3, duration: 400 } });
    await addAll(
      a,
      q,
      Array.from({ length: 8 }, () => ({})),
    );
    const r1 = await a.jobs.reserve(q, { workerId: 'a', max: 2, leaseMs: 1000 });
    const r2 = await b.jobs.reserve(q, { workerId: 'b', max: 5, leaseMs: 1000 });
    expect(r1.jobs.length + r2.jobs.length).toBe(3);
    expect(r2.limitedForMs).toBeGreaterThan(0);
    expect(r2.limitedForMs).toBeLessThanOrEqual(400);
    await sleep((r2.limitedForMs ?? 0) + 20);
    expect((await b.jobs.reserve(q, { workerId: 'b', max: 5, leaseMs: 1000 })).jobs).toHaveLength(
      3,
    );
    await a.admin.setGlobalLimits(q, { rate: null });
    expect((await b.jobs.reserve(q, { workerId: 'b', max: 5, leaseMs: 1000 })).jobs).toHaveLength(
      2,
    );
  });

  it('enforces a queue-global concurrency limit across instances', async () => {
    const a = backend(prefix);
    const b = backend(prefix);
    const q = qname();
    await a.admin.setGlobalLimits(q, { concurrency: 2 });
    await addAll(
      a,
      q,
      Array.from({ length: 5 }, () => ({})),
    );
    const ra = await a.jobs.reserve(q, { workerId: 'a', max: 1, leaseMs: 1000 });
    const rb = await b.jobs.reserve(q, { workerId: 'b', max: 5, leaseMs: 1000 });
    expect(ra.jobs).toHaveLength(1);
    expect(rb.jobs).toHaveLength(1);
    expect(rb.limitedForMs).toBeGreaterThan(0);
    expect((await a.jobs.reserve(q, { workerId: 'a', max: 1, leaseMs: 1000 })).jobs).toEqual([]);
    await complete(a, q, ra.jobs[0]!);
    expect((await b.jobs.reserve(q, { workerId: 'b', max: 5, leaseMs: 1000 })).jobs).toHaveLength(
      1,
    );
  });

  it('grants nothing while paused and resumes', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{}, { delay: 1 }]);
    await b.admin.setPaused(q, true);
    expect(await b.admin.isPaused(q)).toBe(true);
    await sleep(5);
    expect(await lease(b, q, 5)).toEqual([]);
    await b.admin.setPaused(q, false);
    expect(await lease(b, q, 5)).toHaveLength(2);
  });

  it('signals cancellation to the lease holder and cancels waiting jobs', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'run' }, { id: 'wait' }]);
    const r = await leaseOne(b, q);
    expect(await b.admin.cancel(q, 'run')).toBe('signalled');
    expect(await b.jobs.extend(q, [{ jobId: 'run', token: r.token }], 1000)).toEqual(['cancelled']);
    expect(await b.admin.cancel(q, 'wait')).toBe('cancelled');
    expect(await b.admin.get(q, 'wait')).toMatchObject({
      state: 'failed',
      error: { name: 'CancelledError', message: 'cancelled' },
    });
    expect(await b.admin.cancel(q, 'wait')).toBe('not-cancellable');
    expect(await b.admin.cancel(q, 'ghost')).toBe('not-cancellable');
  });
});
