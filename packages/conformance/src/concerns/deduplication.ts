import type { AddedJob, Queue } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { type Harness, useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { skipWithoutAtomicUpdates } from '../support/atomicity.js';

type Dedup = { id: string; ttl?: number; extend?: boolean; replace?: boolean };

/**
 * 20 producers (Queue instances on one fresh queue name) adding at once with one dedup
 * key; returns one of the producers and every result.
 */
async function twentyProducers(
  h: Harness,
  dedup: Dedup,
  delay = 0,
): Promise<{ q: Queue; results: AddedJob[] }> {
  const name = h.name();
  const producers = Array.from({ length: 20 }, () => h.queue({ name }));
  const results = await Promise.all(
    producers.map((q, i) =>
      q.add('dedup', { producer: i }, { deduplication: dedup, ...(delay ? { delay } : {}) }),
    ),
  );
  return { q: producers[0]!, results };
}

async function total(q: Queue): Promise<number> {
  return Object.values(await q.getCounts()).reduce((a, b) => a + b, 0);
}

/** Completes the job `id` through the contract (it must be the next reservable one). */
async function complete(h: Harness, queue: string, id: string): Promise<void> {
  const lease = await h.reserveOne(queue);
  expect(lease.job.id).toBe(id);
  const r = await h.backend.jobs.settle(queue, [
    { jobId: id, token: lease.token, kind: 'completed' },
  ]);
  expect(r.results).toEqual(['ok']);
}

/**
 * simple (while the owner is unfinished), throttle (ttl), extend (each duplicate
 * restarts the ttl), replace (debounce a delayed owner): atomic under concurrent
 * producers, exactly one owner.
 */
export function deduplication(env: SuiteEnv): void {
  const h = useHarness(env, 'deduplication');
  const ttl = () => Math.max(100, 8 * env.timing.tickMs);

  it('simple: 20 concurrent producers make exactly one owner', async () => {
    const { q, results } = await twentyProducers(h, { id: 'k' });
    const owners = results.filter((r) => r.status === 'added');
    expect(owners).toHaveLength(1);
    const owner = owners[0]!.id;
    expect(results.filter((r) => r.status === 'deduplicated' && r.id === owner)).toHaveLength(19);
    expect(await total(q)).toBe(1);
    expect((await q.getJob(owner))!.dedupId).toBe('k');
    expect(await q.getDeduplicationJobId('k')).toBe(owner);
  });

  it('simple: the key lives while the owner is waiting or active and frees when it finishes', async () => {
    const q = h.queue();
    const owner = await q.add('a', 1, { deduplication: { id: 'k' } });
    expect(owner.status).toBe('added');
    expect(await q.add('a', 2, { deduplication: { id: 'k' } })).toMatchObject({
      status: 'deduplicated',
      id: owner.id,
    });
    const lease = await h.reserveOne(q.name);
    expect(await q.add('a', 3, { deduplication: { id: 'k' } })).toMatchObject({
      status: 'deduplicated',
      id: owner.id,
    });
    await h.backend.jobs.settle(q.name, [
      { jobId: owner.id, token: lease.token, kind: 'completed' },
    ]);
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    const next = await q.add('a', 4, { deduplication: { id: 'k' } });
    expect(next.status).toBe('added');
    expect(next.id).not.toBe(owner.id);
    expect(await q.getDeduplicationJobId('k')).toBe(next.id);
  });

  it('simple: a failed owner frees the key', async () => {
    const q = h.queue();
    const owner = await q.add('a', 1, { deduplication: { id: 'k' } });
    const lease = await h.reserveOne(q.name);
    await h.backend.jobs.settle(q.name, [
      { jobId: owner.id, token: lease.token, kind: 'failed', error: { name: 'E', message: 'x' } },
    ]);
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    expect((await q.add('a', 2, { deduplication: { id: 'k' } })).status).toBe('added');
  });

  it('ttl: 20 concurrent producers make one owner; the key outlives the owner until the ttl ends', async () => {
    const before = Date.now();
    const { q, results } = await twentyProducers(h, { id: 'k', ttl: ttl() });
    const setAt = Date.now();
    const owners = results.filter((r) => r.status === 'added');
    expect(owners).toHaveLength(1);
    expect(results.filter((r) => r.status === 'deduplicated')).toHaveLength(19);
    const owner = owners[0]!.id;
    await complete(h, q.name, owner);
    // Completed, yet still throttled while the ttl runs (checked only while surely running).
    if (Date.now() - before < (ttl() * 3) / 4) {
      expect(await q.add('dedup', 'x', { deduplication: { id: 'k', ttl: ttl() } })).toMatchObject({
        status: 'deduplicated',
        id: owner,
      });
      expect(await q.getDeduplicationJobId('k')).toBe(owner);
    }
    await sleep(ttl() - (Date.now() - setAt) + env.timing.tickMs);
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    expect((await q.add('dedup', 'y', { deduplication: { id: 'k', ttl: ttl() } })).status).toBe(
      'added',
    );
  });

  it('extend: 20 concurrent producers make one owner; each duplicate restarts the ttl', async (ctx) => {
    // Needs `atomicUpdates`: racing writers on one record.
    skipWithoutAtomicUpdates(env, ctx);
    const dedup = { id: 'k', ttl: ttl(), extend: true };
    const { q, results } = await twentyProducers(h, dedup);
    const owners = results.filter((r) => r.status === 'added');
    expect(owners).toHaveLength(1);
    expect(results.filter((r) => r.status === 'deduplicated')).toHaveLength(19);
    const owner = owners[0]!.id;
    // Keep adding every ttl/3 for 2 ttls: without the extension the key would have expired.
    const until = Date.now() + 2 * ttl();
    while (Date.now() < until) {
      await sleep(ttl() / 3);
      expect(await q.add('dedup', 'again', { deduplication: dedup })).toMatchObject({
        status: 'deduplicated',
        id: owner,
      });
    }
    await sleep(ttl() + env.timing.tickMs);
    expect((await q.add('dedup', 'late', { deduplication: dedup })).status).toBe('added');
  });

  it('ttl without extend: duplicates do not restart the ttl', async () => {
    const q = h.queue();
    const dedup = { id: 'k', ttl: ttl() };
    const owner = await q.add('a', 1, { deduplication: dedup });
    const setAt = Date.now();
    await sleep(ttl() / 2);
    expect((await q.add('a', 2, { deduplication: dedup })).status).toBe('deduplicated');
    await sleep(ttl() - (Date.now() - setAt) + env.timing.tickMs);
    const after = await q.add('a', 3, { deduplication: dedup });
    expect(after.status).toBe('added');
    expect(after.id).not.toBe(owner.id);
  });

  it('replace: 20 concurrent producers leave exactly one delayed owner, the others replaced', async (ctx) => {
    // Needs `atomicUpdates`: racing writers on one record.
    skipWithoutAtomicUpdates(env, ctx);
    const { q, results } = await twentyProducers(h, { id: 'k', replace: true }, 60_000);
    expect(results.filter((r) => r.status === 'added')).toHaveLength(1);
    const replaced = results.filter((r) => r.status === 'replaced');
    expect(replaced).toHaveLength(19);
    const ids = results.map((r) => r.id);
    expect(new Set(ids).size).toBe(20);
    const gone = new Set(replaced.map((r) => (r.status === 'replaced' ? r.replacedId : '')));
    expect(gone.size).toBe(19);
    const survivors = ids.filter((id) => !gone.has(id));
    expect(survivors).toHaveLength(1);
    expect(await q.getCounts()).toMatchObject({ delayed: 1, waiting: 0 });
    expect(await total(q)).toBe(1);
    expect(await q.getDeduplicationJobId('k')).toBe(survivors[0]);
    for (const id of gone) expect(await q.getJob(id)).toBeNull();
  });

  it('replace: a waiting or active owner is not replaced, the add is deduplicated', async () => {
    const q = h.queue();
    const dedup = { id: 'k', replace: true };
    const owner = await q.add('a', 1, { deduplication: dedup });
    expect(await q.add('a', 2, { deduplication: dedup, delay: 60_000 })).toMatchObject({
      status: 'deduplicated',
      id: owner.id,
    });
    await h.reserveOne(q.name);
    expect(await q.add('a', 3, { deduplication: dedup })).toMatchObject({
      status: 'deduplicated',
      id: owner.id,
    });
    expect(await total(q)).toBe(1);
  });

  it('replace: the new owner takes the place (payload, delay) of the delayed one', async () => {
    const q = h.queue();
    const dedup = { id: 'k', replace: true };
    const first = await q.add('debounce', { v: 1 }, { deduplication: dedup, delay: 60_000 });
    const second = await q.add('debounce', { v: 2 }, { deduplication: dedup, delay: 30_000 });
    expect(second).toMatchObject({ status: 'replaced', replacedId: first.id });
    expect(await q.getJob(first.id)).toBeNull();
    const job = (await q.getJob(second.id))!;
    expect(job.data).toEqual({ v: 2 });
    expect(job.state).toBe('delayed');
    expect(job.runAt - job.createdAt).toBeGreaterThanOrEqual(30_000);
    expect(job.dedupId).toBe('k');
  });

  it('removeDeduplicationKey frees a live key; getDeduplicationJobId of an unknown key is null', async () => {
    const q = h.queue();
    expect(await q.getDeduplicationJobId('nothing')).toBeNull();
    expect(await q.removeDeduplicationKey('nothing')).toBe(false);
    const owner = await q.add('a', 1, { deduplication: { id: 'k' } });
    expect(await q.removeDeduplicationKey('k')).toBe(true);
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    const next = await q.add('a', 2, { deduplication: { id: 'k' } });
    expect(next.status).toBe('added');
    expect(next.id).not.toBe(owner.id);
    expect(await q.getCounts()).toMatchObject({ waiting: 2 });
  });

  it('removing or cancelling the owner frees its key', async () => {
    const q = h.queue();
    const a = await q.add('a', 1, { deduplication: { id: 'removed' } });
    const b = await q.add('b', 1, { deduplication: { id: 'cancelled' } });
    expect(await q.removeJob(a.id)).toBe(true);
    expect(await q.cancelJob(b.id)).toBe('cancelled');
    expect(await q.getDeduplicationJobId('removed')).toBeNull();
    expect(await q.getDeduplicationJobId('cancelled')).toBeNull();
    expect((await q.add('a', 2, { deduplication: { id: 'removed' } })).status).toBe('added');
    expect((await q.add('b', 2, { deduplication: { id: 'cancelled' } })).status).toBe('added');
  });

  it('remove, drain and clean of an unfinished owner free even a ttl key', async () => {
    const q = h.queue();
    const dedup = (id: string) => ({ deduplication: { id, ttl: 60_000 } });
    const removed = await q.add('a', 1, dedup('removed'));
    await q.add('b', 1, dedup('drained'));
    await q.add('c', 1, { ...dedup('cleaned'), delay: 60_000 });
    expect(await q.removeJob(removed.id)).toBe(true);
    expect(await q.drain()).toBe(1);
    await sleep(2 * env.timing.tickMs);
    expect(await q.cleanJobs({ state: 'delayed', grace: 0 })).toHaveLength(1);
    for (const key of ['removed', 'drained', 'cleaned']) {
      expect(await q.getDeduplicationJobId(key)).toBeNull();
      expect((await q.add('again', 2, dedup(key))).status).toBe('added');
    }
  });

  it('retention and clean of a finished owner leave its ttl key to run out', async () => {
    const q = h.queue();
    const owner = await q.add('a', 1, {
      deduplication: { id: 'k', ttl: 60_000 },
      removeOnComplete: true,
    });
    await complete(h, q.name, owner.id);
    expect(await q.getJob(owner.id)).toBeNull();
    expect(await q.getDeduplicationJobId('k')).toBe(owner.id);
    expect((await q.add('a', 2, { deduplication: { id: 'k', ttl: 60_000 } })).status).toBe(
      'deduplicated',
    );
    const other = await q.add('b', 1, { deduplication: { id: 'k2', ttl: 60_000 } });
    await complete(h, q.name, other.id);
    await sleep(2 * env.timing.tickMs);
    expect(await q.cleanJobs({ state: 'completed', grace: 0 })).toEqual([other.id]);
    expect(await q.getDeduplicationJobId('k2')).toBe(other.id);
  });

  it('a worker finishing the owner frees the key for the next producer', async () => {
    const q = h.queue();
    const owner = await q.add('a', 1, { deduplication: { id: 'k' } });
    h.worker(q.name, async () => 'done');
    await waitFor(
      async () => (await q.getJob(owner.id))?.state === 'completed',
      env.patienceMs,
      `owner ${owner.id} completed`,
    );
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    expect((await q.add('a', 2, { deduplication: { id: 'k' } })).status).toBe('added');
  });
}
