import { describe, expect, it } from 'vitest';
import { addAll, clocked, complete, job, lease, leaseOne } from './helpers.js';

const Q = 'q';

describe('memory backend: deduplication', () => {
  it('simple: the key holds while the owner is unfinished', async () => {
    const { backend: b } = clocked();
    const d = { dedup: { id: 'k' } };
    expect(await b.jobs.add(Q, [job(d), job(d)])).toEqual([
      { status: 'added', id: '1' },
      { status: 'deduplicated', id: '1' },
    ]);
    expect((await b.admin.get(Q, '1'))?.dedupId).toBe('k');
    const r = await leaseOne(b, Q);
    expect(await b.jobs.add(Q, [job(d)])).toEqual([{ status: 'deduplicated', id: '1' }]);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBe('1');
    await complete(b, Q, r);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
    expect(await b.jobs.add(Q, [job(d)])).toEqual([{ status: 'added', id: '2' }]);
  });

  it('ttl (throttle): the key outlives its owner until it expires', async () => {
    const { backend: b, clock } = clocked();
    const d = { dedup: { id: 'k', ttl: 1000 } };
    await addAll(b, Q, [d]);
    await complete(b, Q, await leaseOne(b, Q));
    clock.advance(999);
    expect(await b.jobs.add(Q, [job(d)])).toEqual([{ status: 'deduplicated', id: '1' }]);
    clock.advance(1);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
    expect(await b.jobs.add(Q, [job(d)])).toEqual([{ status: 'added', id: '2' }]);
  });

  it('extend: each deduplicated add restarts the ttl', async () => {
    const { backend: b, clock } = clocked();
    const d = { dedup: { id: 'k', ttl: 1000, extend: true } };
    await addAll(b, Q, [d]);
    for (let i = 0; i < 3; i++) {
      clock.advance(900);
      expect(await b.jobs.add(Q, [job(d)])).toEqual([{ status: 'deduplicated', id: '1' }]);
    }
    clock.advance(999);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBe('1');
    clock.advance(1);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
  });

  it('replace: a new add replaces a delayed owner, not a waiting or active one', async () => {
    const { backend: b } = clocked();
    const d = (payload: string, delay: number) =>
      job({ payload, delay, dedup: { id: 'k', replace: true } });
    await b.jobs.add(Q, [d('1', 100)]);
    expect(await b.jobs.add(Q, [d('2', 100)])).toEqual([
      { status: 'replaced', id: '2', replacedId: '1' },
    ]);
    expect(await b.admin.get(Q, '1')).toBeNull();
    expect(await b.admin.get(Q, '2')).toMatchObject({
      state: 'delayed',
      payload: '2',
      dedupId: 'k',
    });
    expect(await b.admin.counts(Q)).toMatchObject({ delayed: 1 });
    await b.admin.promote(Q, { ids: ['2'] });
    expect(await b.jobs.add(Q, [d('3', 100)])).toEqual([{ status: 'deduplicated', id: '2' }]);
  });

  it('removing the owner or the key frees the key', async () => {
    const { backend: b, clock } = clocked();
    await addAll(b, Q, [{ dedup: { id: 'k', ttl: 10_000 } }]);
    expect(await b.admin.remove(Q, ['1'])).toEqual(['1']);
    expect(await b.admin.getDedupOwner(Q, 'k')).toBeNull();
    await addAll(b, Q, [{ dedup: { id: 'k', ttl: 10_000 } }]);
    expect(await b.admin.removeDedupKey(Q, 'k')).toBe(true);
    expect(await b.admin.removeDedupKey(Q, 'k')).toBe(false);
    await addAll(b, Q, [{ dedup: { id: 'j', ttl: 10 } }]);
    clock.advance(10);
    // An expired key counts as gone.
    expect(await b.admin.removeDedupKey(Q, 'j')).toBe(false);
  });

  it('exactly one of many concurrent producers becomes the owner', async () => {
    const { backend: b } = clocked();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        b.jobs.add(Q, [job({ payload: String(i), dedup: { id: 'k' } })]),
      ),
    );
    const statuses = results.map(([r]) => r!.status);
    expect(statuses.filter((s) => s === 'added')).toHaveLength(1);
    expect((await b.admin.counts(Q)).waiting).toBe(1);
  });
});

describe('memory backend: pause', () => {
  it('grants nothing while paused; active jobs can still settle', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [{}, {}]);
    const r = await leaseOne(b, Q);
    await b.admin.setPaused(Q, true);
    expect(await b.admin.isPaused(Q)).toBe(true);
    expect(await b.jobs.reserve(Q, { workerId: 'w', max: 5, leaseMs: 100 })).toEqual({ jobs: [] });
    expect(await complete(b, Q, r)).toBe('ok');
    await b.admin.setPaused(Q, false);
    expect((await lease(b, Q, 5)).map((x) => x.job.id)).toEqual(['2']);
    expect(await b.admin.listQueues()).toEqual([Q]);
  });
});

describe('memory backend: global limits', () => {
  it('rate: at most max grants per fixed window, with the time left', async () => {
    const { backend: b, clock } = clocked();
    await b.admin.setGlobalLimits(Q, { rate: { max: 2, duration: 1000 } });
    await addAll(
      b,
      Q,
      Array.from({ length: 5 }, () => ({})),
    );
    const first = await b.jobs.reserve(Q, { workerId: 'w', max: 5, leaseMs: 100 });
    expect(first.jobs.map((r) => r.job.id)).toEqual(['1', '2']);
    expect(first.limitedForMs).toBe(1000);
    clock.advance(400);
    expect(await b.jobs.reserve(Q, { workerId: 'w', max: 5, leaseMs: 100 })).toEqual({
      jobs: [],
      limitedForMs: 600,
    });
    clock.advance(600);
    const second = await b.jobs.reserve(Q, { workerId: 'w', max: 1, leaseMs: 100 });
    expect(second.jobs.map((r) => r.job.id)).toEqual(['3']);
    // The worker asked for 1 and got 1: nothing was held back.
    expect(second.limitedForMs).toBeUndefined();
    await b.admin.setGlobalLimits(Q, { rate: null });
    expect(await lease(b, Q, 5)).toHaveLength(2);
  });

  it('concurrency: at most n active jobs in the queue', async () => {
    const { backend: b } = clocked();
    await b.admin.setGlobalLimits(Q, { concurrency: 2 });
    await addAll(
      b,
      Q,
      Array.from({ length: 4 }, () => ({})),
    );
    const first = await b.jobs.reserve(Q, { workerId: 'w', max: 3, leaseMs: 100 });
    expect(first.jobs).toHaveLength(2);
    expect(first.limitedForMs).toBeGreaterThan(0);
    expect((await b.jobs.reserve(Q, { workerId: 'w2', max: 3, leaseMs: 100 })).jobs).toEqual([]);
    await complete(b, Q, first.jobs[0]!);
    expect(await lease(b, Q, 3)).toHaveLength(1);
    await b.admin.setGlobalLimits(Q, { concurrency: null });
    expect(await lease(b, Q, 3)).toHaveLength(1);
  });
});
