import type { JobRecord } from '@mq/core';
import { describe, expect, it } from 'vitest';
import {
  createMemoryBackend,
  MEMORY_CAPABILITIES,
  MemoryBackendOptionError,
} from '../src/index.js';
import { addAll, clocked, complete, drainOrder, job, lease, leaseOne } from './helpers.js';

const Q = 'q';

describe('memory backend: options and capabilities', () => {
  it('declares the in-process capabilities', () => {
    expect(createMemoryBackend().capabilities).toEqual(MEMORY_CAPABILITIES);
    expect(MEMORY_CAPABILITIES).toMatchObject({
      durable: false,
      pushWakeups: true,
      distributedLocks: false,
    });
  });

  it('rejects a bad eventHistory with a named, typed error', () => {
    const make = () => createMemoryBackend({ eventHistory: -1 });
    expect(make).toThrow(MemoryBackendOptionError);
    expect(make).toThrow(/eventHistory/);
    expect(make).toThrow(
      expect.objectContaining({ code: 'MQ_MEMORY_INVALID_OPTION', option: 'eventHistory' }),
    );
  });
});

describe('memory backend: add', () => {
  it('assigns increasing decimal ids and records the initial fields', async () => {
    const { backend: b, clock } = clocked();
    const ids = await addAll(b, Q, [{}, { delay: 500 }]);
    expect(ids).toEqual(['1', '2']);
    const waiting = await b.admin.get(Q, '1');
    expect(waiting).toMatchObject({
      state: 'waiting',
      attemptsMade: 0,
      attemptsStarted: 0,
      stalls: 0,
      createdAt: clock.t,
      runAt: clock.t,
    });
    expect(await b.admin.get(Q, '2')).toMatchObject({ state: 'delayed', runAt: clock.t + 500 });
  });

  it('returns the existing job for a custom id that exists, in any state', async () => {
    const { backend: b } = clocked();
    expect(await b.jobs.add(Q, [job({ id: 'a' }), job({ id: 'a' })])).toEqual([
      { status: 'added', id: 'a' },
      { status: 'duplicate', id: 'a' },
    ]);
    await complete(b, Q, await leaseOne(b, Q));
    expect(await b.jobs.add(Q, [job({ id: 'a', payload: '2' })])).toEqual([
      { status: 'duplicate', id: 'a' },
    ]);
    expect((await b.admin.get(Q, 'a'))?.payload).toBe('null');
  });

  it('hands out copies: mutating a returned record changes nothing stored', async () => {
    const { backend: b } = clocked();
    const opts = {
      attempts: 3,
      backoff: { type: 'fixed' as const, delay: 10 },
      removeOnComplete: false,
      removeOnFail: { count: 5 },
    };
    await b.jobs.add(Q, [job({ id: 'x', opts })]);
    opts.attempts = 99;
    opts.backoff.delay = 99;
    const got = (await b.admin.get(Q, 'x')) as JobRecord;
    expect(got.opts).toEqual({
      attempts: 3,
      backoff: { type: 'fixed', delay: 10 },
      removeOnComplete: false,
      removeOnFail: { count: 5 },
    });
    got.opts.attempts = 7;
    got.state = 'failed';
    expect(await b.admin.get(Q, 'x')).toMatchObject({ state: 'waiting', opts: { attempts: 3 } });
  });
});

describe('memory backend: reservation order', () => {
  it('runs higher priority first, FIFO within a priority', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [
      { id: 'a', priority: 0 },
      { id: 'b', priority: 5 },
      { id: 'c', priority: 0 },
      { id: 'd', priority: 5 },
      { id: 'e', priority: -1 },
    ]);
    expect(await drainOrder(b, Q)).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('puts LIFO jobs before FIFO ones of their priority, newest first', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [
      { id: 'f1' },
      { id: 'l1', lifo: true },
      { id: 'f2' },
      { id: 'l2', lifo: true },
      { id: 'hi', priority: 1 },
      { id: 'hl', priority: 1, lifo: true },
    ]);
    const listed = await b.admin.list(Q, { state: 'waiting', offset: 0, limit: 10, order: 'asc' });
    const expected = ['hl', 'hi', 'l2', 'l1', 'f1', 'f2'];
    expect(listed.map((j) => j.id)).toEqual(expected);
    expect(await drainOrder(b, Q)).toEqual(expected);
  });

  it('returns a released job to its old place and restores its counters', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{ id: 'a' }, { id: 'b' }]);
    const r = await leaseOne(b, Q);
    const { results } = await b.jobs.settle(Q, [
      { kind: 'released', jobId: r.job.id, token: r.token },
    ]);
    expect(results).toEqual(['ok']);
    const a = await b.admin.get(Q, 'a');
    expect(a).toMatchObject({ state: 'waiting', attemptsStarted: 0 });
    expect(a?.startedAt).toBeUndefined();
    expect(a?.workerId).toBeUndefined();
    expect(await drainOrder(b, Q)).toEqual(['a', 'b']);
  });

  it('keeps heap order exact under many random operations', async () => {
    const { backend: b } = clocked();
    // A model: waiting jobs with their sort keys; order recomputed by sorting.
    const model = new Map<string, { priority: number; lifo: boolean; seq: number }>();
    const held: { id: string; token: string }[] = [];
    let seq = 0;
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const modelOrder = () =>
      [...model.entries()]
        .sort(([, x], [, y]) =>
          x.priority !== y.priority
            ? y.priority - x.priority
            : x.lifo !== y.lifo
              ? x.lifo
                ? -1
                : 1
              : x.lifo
                ? y.seq - x.seq
                : x.seq - y.seq,
        )
        .map(([id]) => id);

    for (let step = 0; step < 3000; step++) {
      const op = rand(10);
      if (op < 4) {
        const batch = Array.from({ length: 1 + rand(5) }, () => ({
          priority: rand(4),
          lifo: rand(4) === 0,
        }));
        const ids = await addAll(b, Q, batch);
        for (const [i, id] of ids.entries()) model.set(id, { ...batch[i]!, seq: seq++ });
      } else if (op < 6) {
        const want = modelOrder().slice(0, 1 + rand(4));
        const got = await lease(b, Q, want.length);
        expect(got.map((r) => r.job.id)).toEqual(want);
        for (const r of got) {
          model.delete(r.job.id);
          held.push({ id: r.job.id, token: r.token });
        }
      } else if (op < 8 && held.length > 0) {
        const [h] = held.splice(rand(held.length), 1);
        // Released and immediately retried jobs return to waiting at their add order.
        const kind = (['released', 'retry', 'completed'] as const)[rand(3)]!;
        const error = { name: 'E', message: 'm' };
        await b.jobs.settle(Q, [
          kind === 'retry'
            ? { kind, jobId: h!.id, token: h!.token, runAt: 0, error }
            : { kind, jobId: h!.id, token: h!.token },
        ]);
        if (kind !== 'completed') {
          const rec = (await b.admin.get(Q, h!.id))!;
          model.set(h!.id, { priority: rec.priority, lifo: rec.lifo, seq: Number(rec.id) - 1 });
        }
      } else if (model.size > 0) {
        const ids = [...model.keys()];
        const victim = ids[rand(ids.length)]!;
        if (op === 8) expect(await b.admin.remove(Q, [victim])).toEqual([victim]);
        else expect(await b.admin.cancel(Q, victim)).toBe('cancelled');
        model.delete(victim);
      }
      if (step % 100 === 0) {
        const listed = await b.admin.list(Q, {
          state: 'waiting',
          offset: 0,
          limit: 1e9,
          order: 'asc',
        });
        expect(listed.map((j) => j.id)).toEqual(modelOrder());
        const desc = await b.admin.list(Q, {
          state: 'waiting',
          offset: 2,
          limit: 5,
          order: 'desc',
        });
        expect(desc.map((j) => j.id)).toEqual(modelOrder().reverse().slice(2, 7));
        expect((await b.admin.counts(Q)).waiting).toBe(model.size);
        expect((await b.admin.counts(Q)).active).toBe(held.length);
      }
    }
    expect(await drainOrder(b, Q)).toEqual(modelOrder());
  });
});

describe('memory backend: delays', () => {
  it('promotes a delayed job exactly at runAt, soonest first', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ id: 'late', delay: 200 }, { id: 'soon', delay: 100 }, { id: 'now' }]);
    expect(await drainOrder(b, Q)).toEqual(['now']);
    clock.advance(99);
    expect(await lease(b, Q)).toEqual([]);
    const delayed = await b.admin.list(Q, { state: 'delayed', offset: 0, limit: 10, order: 'asc' });
    expect(delayed.map((j) => j.id)).toEqual(['soon', 'late']);
    clock.advance(1);
    expect(await drainOrder(b, Q)).toEqual(['soon']);
    clock.advance(100);
    expect(await drainOrder(b, Q)).toEqual(['late']);
  });

  it('retry with a future runAt delays the job; a past runAt makes it waiting', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ id: 'a' }]);
    let r = await leaseOne(b, Q);
    const error = { name: 'Error', message: 'x' };
    await b.jobs.settle(Q, [
      { kind: 'retry', jobId: 'a', token: r.token, runAt: clock.t + 50, error },
    ]);
    expect(await b.admin.get(Q, 'a')).toMatchObject({
      state: 'delayed',
      attemptsMade: 1,
      error,
      runAt: clock.t + 50,
    });
    expect(await lease(b, Q)).toEqual([]);
    clock.advance(50);
    r = await leaseOne(b, Q);
    expect(r.job.attemptsStarted).toBe(2);
    await b.jobs.settle(Q, [{ kind: 'retry', jobId: 'a', token: r.token, runAt: clock.t, error }]);
    expect(await b.admin.get(Q, 'a')).toMatchObject({ state: 'waiting', attemptsMade: 2 });
  });
});

describe('memory backend: fencing', () => {
  it('refuses every transition with a stale or wrong token', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ id: 'a' }]);
    const first = await leaseOne(b, Q, 1000);
    expect(await b.jobs.extend(Q, [{ jobId: 'a', token: 'nope' }], 1000)).toEqual(['lost']);
    clock.advance(1001);
    expect(await b.jobs.recoverExpired(Q, { maxStalls: 5, limit: 10 })).toEqual({
      recovered: ['a'],
      failed: [],
    });
    const second = await leaseOne(b, Q);
    expect(second.token).not.toBe(first.token);

    expect(await complete(b, Q, first)).toBe('lost');
    expect(await b.jobs.extend(Q, [{ jobId: 'a', token: first.token }], 1000)).toEqual(['lost']);
    expect(await b.admin.setProgress(Q, 'a', first.token, '5')).toBe(false);
    expect(await b.admin.addLog(Q, 'a', first.token, 'x', 10)).toBe(false);

    expect(await b.admin.setProgress(Q, 'a', second.token, '5')).toBe(true);
    expect(await b.jobs.extend(Q, [{ jobId: 'a', token: second.token }], 5000)).toEqual([
      'extended',
    ]);
    expect((await b.admin.get(Q, 'a'))?.leaseExpiresAt).toBe(clock.t + 5000);
    expect(await complete(b, Q, second, '"done"')).toBe('ok');
    expect(await complete(b, Q, second)).toBe('lost');
    const done = await b.admin.get(Q, 'a');
    expect(done).toMatchObject({
      state: 'completed',
      result: '"done"',
      attemptsMade: 1,
      attemptsStarted: 2,
      stalls: 1,
      progress: '5',
      finishedAt: clock.t,
    });
    expect(done?.leaseExpiresAt).toBeUndefined();
  });

  it('applies a settle batch in order, each outcome fenced on its own', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{ id: 'a' }, { id: 'b' }]);
    const [ra, rb] = await lease(b, Q, 2);
    const { results, next } = await b.jobs.settle(
      Q,
      [
        { kind: 'completed', jobId: 'a', token: ra!.token },
        { kind: 'completed', jobId: 'a', token: ra!.token },
        { kind: 'failed', jobId: 'b', token: 'wrong', error: { name: 'E', message: 'm' } },
        { kind: 'released', jobId: 'b', token: rb!.token },
      ],
      { workerId: 'w2', max: 5, leaseMs: 100 },
    );
    expect(results).toEqual(['ok', 'lost', 'lost', 'ok']);
    expect(next?.jobs.map((r) => r.job.id)).toEqual(['b']);
    expect(next?.jobs[0]?.job.workerId).toBe('w2');
  });
});

describe('memory backend: stalled recovery', () => {
  it('returns expired leases to waiting and fails them past maxStalls', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ id: 'a', dedup: { id: 'k' } }, { id: 'b' }]);
    await lease(b, Q, 2, 100);
    clock.advance(100);
    // Expiry is strict: a lease expiring exactly now is still held.
    expect(await b.jobs.recoverExpired(Q, { maxStalls: 1, limit: 10 })).toEqual({
      recovered: [],
      failed: [],
    });
    clock.advance(1);
    expect(await b.jobs.recoverExpired(Q, { maxStalls: 1, limit: 1 })).toEqual({
      recovered: ['a'],
      failed: [],
    });
    expect(await b.jobs.recoverExpired(Q, { maxStalls: 1, limit: 10 })).toEqual({
      recovered: ['b'],
      failed: [],
    });
    expect(await b.admin.get(Q, 'a')).toMatchObject({
      state: 'waiting',
      stalls: 1,
      attemptsStarted: 1,
    });

    await lease(b, Q, 2, 100);
    clock.advance(101);
    expect(await b.jobs.recoverExpired(Q, { maxStalls: 1, limit: 10 })).toEqual({
      recovered: [],
      failed: ['a', 'b'],
    });
    expect(await b.admin.get(Q, 'a')).toMatchObject({
      state: 'failed',
      stalls: 2,
      error: { name: 'StalledError', message: 'job stalled more than maxStalls times' },
      finishedAt: clock.t,
    });
    // The failed owner released its ttl-less dedup key.
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
  });

  it('applies removeOnFail to a job failed for stalling', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [
      { id: 'a', opts: { attempts: 1, removeOnComplete: false, removeOnFail: true } },
    ]);
    await lease(b, Q, 1, 10);
    clock.advance(11);
    expect((await b.jobs.recoverExpired(Q, { maxStalls: 0, limit: 10 })).failed).toEqual(['a']);
    expect(await b.admin.get(Q, 'a')).toBeNull();
  });
});
