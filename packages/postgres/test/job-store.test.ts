import type { ReservedJob, Settlement } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { quoteIdent } from '../src/sql/ident.js';
import { addAll, drainOrder, job, lease, sleep, sql, svc, TestSchema } from './helpers.js';

const t = new TestSchema('jobs');
let n = 0;
const qname = () => `q${++n}`;
const done = (r: ReservedJob): Settlement => ({
  kind: 'completed',
  jobId: r.job.id,
  token: r.token,
  result: '1',
});

describe.skipIf(svc.skip !== undefined)('postgres job store', () => {
  beforeAll(() => t.setup());
  afterAll(() => t.teardown());

  it('adds made in one tick share two statements, each caller getting its own results', async () => {
    const b = await t.backend();
    const q = qname();
    await b.ready();
    const spy = vi.spyOn(b.pool, 'query');
    const calls = Array.from({ length: 30 }, (_, i) => b.jobs.add(q, [job({ id: `m${i}` })]));
    const results = await Promise.all(calls);
    const statements = spy.mock.calls.filter((c) => JSON.stringify(c[0]).includes('add_jobs'));
    spy.mockRestore();
    expect(statements).toHaveLength(2);
    expect(results).toEqual(calls.map((_, i) => [{ status: 'added', id: `m${i}` }]));
    expect((await b.admin.counts(q)).waiting).toBe(30);
  });

  it('claims by priority, FIFO within a priority, LIFO jobs first and newest first', async () => {
    const b = await t.backend();
    const q = qname();
    const [a, bb, c, d, e] = await addAll(b, q, [
      { priority: 0 },
      { priority: 5 },
      { priority: 0, lifo: true },
      { priority: 0 },
      { priority: 0, lifo: true },
    ]);
    expect(await drainOrder(b, q)).toEqual([bb, e, c, a, d]);
  });

  it('a due delayed job is claimed by the same statement, in its priority order', async () => {
    const b = await t.backend();
    const q = qname();
    const [late] = await addAll(b, q, [{ delay: 150, priority: 3 }]);
    const [now1, now2] = await addAll(b, q, [{}, {}]);
    expect((await lease(b, q))[0]!.job.id).toBe(now1);
    await sleep(200);
    // No promotion step ran: the claim itself takes the due job, ahead by priority.
    const got = await lease(b, q, 5);
    expect(got.map((r) => r.job.id)).toEqual([late, now2]);
    expect(got[0]!.job).toMatchObject({ state: 'active', attemptsStarted: 1 });
  });

  it('two pools claiming concurrently never grant a job twice (SKIP LOCKED)', async () => {
    const one = await t.backend();
    const two = await t.backend();
    const q = qname();
    const total = 2000;
    for (let i = 0; i < total; i += 500) {
      await one.jobs.add(
        q,
        Array.from({ length: 500 }, (_, k) => job({ payload: String(i + k) })),
      );
    }
    const seen: string[] = [];
    const loop = async (b: typeof one) => {
      for (;;) {
        const got = await lease(b, q, 25);
        if (got.length === 0) return;
        for (const r of got) seen.push(r.job.id);
        await b.jobs.settle(q, got.map(done));
      }
    };
    await Promise.all([...Array(6)].flatMap(() => [loop(one), loop(two)]));
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    expect(await one.admin.counts(q)).toMatchObject({ waiting: 0, active: 0, completed: total });
  });

  it('fences every transition by the lease token', async () => {
    const b = await t.backend();
    const q = qname();
    const [id] = await addAll(b, q, [{}]);
    const [first] = await lease(b, q, 1, 50);
    const bogus = { ...done(first!), token: 'not-a-token' };
    expect((await b.jobs.settle(q, [bogus])).results).toEqual(['lost']);
    await sleep(80);
    expect(await b.jobs.recoverExpired(q, { maxStalls: 5, limit: 10 })).toEqual({
      recovered: [id],
      failed: [],
    });
    const [second] = await lease(b, q);
    expect(second!.job).toMatchObject({ id, stalls: 1, attemptsStarted: 2 });
    // The first holder is fenced out of every transition, the second is not.
    expect(await b.jobs.extend(q, [{ jobId: id!, token: first!.token }], 1000)).toEqual(['lost']);
    expect((await b.jobs.settle(q, [done(first!)])).results).toEqual(['lost']);
    expect(await b.admin.setProgress(q, id!, first!.token, '1')).toBe(false);
    expect(await b.admin.addLog(q, id!, first!.token, 'x', 10)).toBe(false);
    expect(await b.jobs.extend(q, [{ jobId: id!, token: second!.token }], 1000)).toEqual([
      'extended',
    ]);
    expect((await b.jobs.settle(q, [done(second!)])).results).toEqual(['ok']);
    expect(await b.admin.get(q, id!)).toMatchObject({ state: 'completed', attemptsMade: 1 });
  });

  it('recoverExpired fails a job past maxStalls with StalledError', async () => {
    const b = await t.backend();
    const q = qname();
    const [id] = await addAll(b, q, [{ dedup: { id: 'k' } }]);
    for (let i = 0; i < 2; i++) {
      await lease(b, q, 1, 20);
      await sleep(40);
      await b.jobs.recoverExpired(q, { maxStalls: 1, limit: 10 });
    }
    expect(await b.admin.get(q, id!)).toMatchObject({
      state: 'failed',
      stalls: 2,
      error: { name: 'StalledError', message: 'job stalled more than maxStalls times' },
    });
    expect(await b.admin.getDedupOwner(q, 'k')).toBeNull();
    expect(await b.admin.counts(q)).toMatchObject({ active: 0, waiting: 0, failed: 1 });
  });

  it('one settle call applies a mixed batch and reserves the next one', async () => {
    const b = await t.backend();
    const q = qname();
    const ids = await addAll(b, q, [{}, {}, {}, {}, {}, {}]);
    const got = await lease(b, q, 4);
    const [c, r, f, rel] = got;
    const error = { name: 'Error', message: 'boom' };
    const res = await b.jobs.settle(
      q,
      [
        done(c!),
        { kind: 'retry', jobId: r!.job.id, token: r!.token, runAt: Date.now() + 60_000, error },
        { kind: 'failed', jobId: f!.job.id, token: f!.token, error },
        { kind: 'released', jobId: rel!.job.id, token: rel!.token },
        { kind: 'completed', jobId: c!.job.id, token: c!.token },
      ],
      { workerId: 'w2', max: 10, leaseMs: 1000 },
    );
    expect(res.results).toEqual(['ok', 'ok', 'ok', 'ok', 'lost']);
    // The released job is back at its old place, ahead of the never-leased ones.
    expect(res.next!.jobs.map((j) => j.job.id)).toEqual([ids[3], ids[4], ids[5]]);
    expect(await b.admin.counts(q)).toEqual({
      waiting: 0,
      delayed: 1,
      active: 3,
      completed: 1,
      failed: 1,
    });
  });

  it('counters match the rows after a mixed workload, without scanning them', async () => {
    const b = await t.backend();
    const q = qname();
    await addAll(
      b,
      q,
      Array.from({ length: 300 }, (_, i) => ({ delay: i % 7 === 0 ? 60_000 : 0 })),
    );
    const got = await lease(b, q, 150);
    const error = { name: 'E', message: 'x' };
    await b.jobs.settle(
      q,
      got
        .slice(0, 100)
        .map(
          (r, i): Settlement =>
            i % 3 === 0
              ? { kind: 'failed', jobId: r.job.id, token: r.token, error }
              : i % 3 === 1
                ? done(r)
                : { kind: 'retry', jobId: r.job.id, token: r.token, runAt: Date.now(), error },
        ),
    );
    await b.admin.remove(q, [got[120]!.job.id, '1', '2', '3']);
    await b.admin.drain(q, false);
    const rows = await sql<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM ${quoteIdent(t.schema)}.jobs WHERE queue = $1 GROUP BY state`,
      [q],
    );
    const actual = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const r of rows) actual[r.state as keyof typeof actual] = r.n;
    expect(await b.admin.counts(q)).toEqual(actual);
  });

  it('counters stay exact through every path (inline counting and triggers)', async () => {
    const b = await t.backend();
    const q = qname();
    const keep2 = { attempts: 1, removeOnComplete: 2, removeOnFail: true };
    const gone = { attempts: 1, removeOnComplete: true, removeOnFail: { count: 1 } };
    await b.jobs.add(q, [
      ...Array.from({ length: 10 }, () => job({ opts: keep2 })),
      ...Array.from({ length: 10 }, () => job({ opts: gone })),
      ...Array.from({ length: 5 }, () => job({ delay: 60_000 })),
    ]);
    await b.jobs.add(q, [
      job({ delay: 60_000, dedup: { id: 'r', replace: true } }),
      job({ delay: 60_000, dedup: { id: 'r', replace: true } }),
      job({ dedup: { id: 's' } }),
    ]);
    const error = { name: 'E', message: 'x' };
    const got = await lease(b, q, 12);
    await b.jobs.settle(
      q,
      got.map((r, i): Settlement => {
        if (i < 4) return done(r);
        if (i < 7) return { kind: 'failed', jobId: r.job.id, token: r.token, error };
        if (i < 9) return { kind: 'released', jobId: r.job.id, token: r.token };
        return {
          kind: 'retry',
          jobId: r.job.id,
          token: r.token,
          runAt: Date.now() + 60_000,
          error,
        };
      }),
      { workerId: 'w', max: 6, leaseMs: 20 },
    );
    await sleep(40);
    await b.jobs.recoverExpired(q, { maxStalls: 0, limit: 100 });
    const [waiting1, waiting2] = await b.admin.list(q, {
      state: 'waiting',
      offset: 0,
      limit: 2,
      order: 'asc',
    });
    await b.admin.cancel(q, waiting1!.id);
    await b.admin.cancel(q, waiting2!.id);
    await b.admin.promote(q, { limit: 2 });
    await b.admin.retry(q, { state: 'failed', limit: 1 });
    await b.admin.clean(q, { state: 'delayed', graceMs: 0, limit: 1 });
    await b.admin.remove(q, [(await lease(b, q))[0]?.job.id ?? 'none']);
    const rows = await sql<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM ${quoteIdent(t.schema)}.jobs WHERE queue = $1 GROUP BY state`,
      [q],
    );
    const actual = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const r of rows) actual[r.state as keyof typeof actual] = r.n;
    expect(await b.admin.counts(q)).toEqual(actual);
  });

  it('folds per-connection counter rows without changing the counts', async () => {
    const b = await t.backend();
    const q = qname();
    await addAll(b, q, [{}, {}, {}]);
    // 100 rows as left by 100 connections over time, netting to zero.
    await sql(
      `INSERT INTO ${quoteIdent(t.schema)}.counts (queue, state, shard, n)
       SELECT $1, 'waiting', 1000000 + g, CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END
       FROM generate_series(1, 100) g`,
      [q],
    );
    expect(await b.admin.counts(q)).toMatchObject({ waiting: 3 });
    const rows = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteIdent(t.schema)}.counts WHERE queue = $1`,
      [q],
    );
    expect(rows[0]!.n).toBeLessThan(5);
    expect(await b.admin.counts(q)).toMatchObject({ waiting: 3 });
  });

  it('keeps exactly `count` finished jobs across batches (retention in the settle)', async () => {
    const b = await t.backend();
    const q = qname();
    const opts = { attempts: 1, removeOnComplete: 10, removeOnFail: false };
    await b.jobs.add(
      q,
      Array.from({ length: 200 }, () => job({ opts })),
    );
    let last: ReservedJob[] = [];
    for (let got = await lease(b, q, 30); got.length > 0; got = await lease(b, q, 30)) {
      await b.jobs.settle(q, got.map(done));
      last = got;
    }
    expect(await b.admin.counts(q)).toMatchObject({ completed: 10 });
    const kept = await b.admin.list(q, { state: 'completed', offset: 0, limit: 20, order: 'asc' });
    expect(kept.map((j) => j.id)).toEqual(last.slice(-10).map((r) => r.job.id));
  });

  it('a batch of completions larger than the count to keep keeps only the newest', async () => {
    // Retention must see the rows the same call completes, not only the older ones.
    const b = await t.backend();
    const q = qname();
    const opts = { attempts: 1, removeOnComplete: 2, removeOnFail: false };
    await b.jobs.add(
      q,
      Array.from({ length: 8 }, () => job({ opts })),
    );
    const first = await lease(b, q, 5);
    expect((await b.jobs.settle(q, first.map(done))).results).toEqual(Array(5).fill('ok'));
    expect(await b.admin.counts(q)).toMatchObject({ completed: 2, active: 0, waiting: 3 });
    const second = await lease(b, q, 3);
    await b.jobs.settle(q, second.map(done));
    const kept = await b.admin.list(q, { state: 'completed', offset: 0, limit: 10, order: 'asc' });
    expect(kept.map((j) => j.id)).toEqual(second.slice(-2).map((r) => r.job.id));
    expect(await b.admin.counts(q)).toMatchObject({ completed: 2, active: 0, waiting: 0 });
  });

  it('completions with the next claim on a limited queue claim within the limits', async () => {
    const b = await t.backend();
    const q = qname();
    await addAll(
      b,
      q,
      Array.from({ length: 10 }, () => ({})),
    );
    await b.admin.setGlobalLimits(q, { rate: { max: 5, duration: 60_000 } });
    const first = await lease(b, q, 2);
    const next = { workerId: 'w', max: 10, leaseMs: 30_000 };
    const res = await b.jobs.settle(q, first.map(done), next);
    expect(res.results).toEqual(['ok', 'ok']);
    // 5 per minute, 2 used: 3 more, and the rest of the window to wait.
    expect(res.next!.jobs).toHaveLength(3);
    expect(res.next!.limitedForMs).toBeGreaterThan(50_000);

    const q2 = qname();
    await addAll(
      b,
      q2,
      Array.from({ length: 10 }, () => ({})),
    );
    await b.admin.setGlobalLimits(q2, { concurrency: 4 });
    const held = await lease(b, q2, 4);
    const after = await b.jobs.settle(q2, held.slice(0, 3).map(done), next);
    expect(after.next!.jobs).toHaveLength(3);
    expect(await b.admin.counts(q2)).toMatchObject({ active: 4, completed: 3, waiting: 3 });
  });

  it('20 concurrent producers: one owner per dedup key, one job per custom id', async () => {
    const backends = [await t.backend(), await t.backend()];
    const q = qname();
    const producers = Array.from({ length: 20 }, (_, i) =>
      backends[i % 2]!.jobs.add(q, [job({ dedup: { id: 'same' }, payload: String(i) })]),
    );
    const results = (await Promise.all(producers)).flat();
    const added = results.filter((r) => r.status === 'added');
    expect(added).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'deduplicated' && r.id === added[0]!.id),
    ).toHaveLength(19);
    const byId = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          backends[i % 2]!.jobs.add(q, [job({ id: 'custom-1', payload: String(i) })]),
        ),
      )
    ).flat();
    expect(byId.filter((r) => r.status === 'added')).toHaveLength(1);
    expect(byId.filter((r) => r.status === 'duplicate' && r.id === 'custom-1')).toHaveLength(19);
    expect(await backends[0]!.admin.counts(q)).toMatchObject({ waiting: 2 });
  });

  it('20 concurrent producers with replace: the last delayed owner stands alone', async () => {
    const b = await t.backend({ poolSize: 20 });
    const q = qname();
    const results = (
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          b.jobs.add(q, [
            job({ delay: 60_000, payload: String(i), dedup: { id: 'd', replace: true } }),
          ]),
        ),
      )
    ).flat();
    expect(results.filter((r) => r.status === 'added')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'replaced')).toHaveLength(19);
    expect(await b.admin.counts(q)).toMatchObject({ delayed: 1 });
    const [owner] = await b.admin.list(q, { state: 'delayed', offset: 0, limit: 5, order: 'asc' });
    expect(await b.admin.getDedupOwner(q, 'd')).toBe(owner!.id);
  });

  it('global rate and concurrency limits hold across two backends', async () => {
    const one = await t.backend();
    const two = await t.backend();
    const q = qname();
    await addAll(
      one,
      q,
      Array.from({ length: 40 }, () => ({})),
    );
    await one.admin.setGlobalLimits(q, { rate: { max: 7, duration: 60_000 } });
    const grants = await Promise.all([...Array(10)].map((_, i) => lease(i % 2 ? one : two, q, 3)));
    expect(grants.flat()).toHaveLength(7);
    const limited = await one.jobs.reserve(q, { workerId: 'w', max: 1, leaseMs: 1000 });
    expect(limited.jobs).toHaveLength(0);
    expect(limited.limitedForMs).toBeGreaterThan(50_000);

    const q2 = qname();
    await addAll(
      one,
      q2,
      Array.from({ length: 40 }, () => ({})),
    );
    await one.admin.setGlobalLimits(q2, { concurrency: 5 });
    const held = await Promise.all([...Array(10)].map((_, i) => lease(i % 2 ? one : two, q2, 2)));
    expect(held.flat()).toHaveLength(5);
    await one.jobs.settle(q2, held.flat().slice(0, 2).map(done));
    expect(await lease(two, q2, 10)).toHaveLength(2);
  });

  it('a paused queue grants nothing; resuming grants again', async () => {
    const b = await t.backend();
    const q = qname();
    await addAll(b, q, [{}, { delay: 1 }]);
    await b.admin.setPaused(q, true);
    await sleep(5);
    expect(await lease(b, q, 5)).toHaveLength(0);
    await b.admin.setPaused(q, false);
    expect(await lease(b, q, 5)).toHaveLength(2);
  });
});
