import type { RecoverResult } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { type Harness, useHarness } from '../support/harness.js';
import { sleep, waitFor, waitForState } from '../support/wait-for.js';

/** Polls `recoverExpired` until it reports `id` (recovered or failed); returns that call's result. */
function recoverUntil(
  h: Harness,
  name: string,
  id: string,
  maxStalls: number,
): Promise<RecoverResult> {
  return waitFor(
    async () => {
      const r = await h.backend.jobs.recoverExpired(name, { maxStalls, limit: 100 });
      return r.recovered.includes(id) || r.failed.includes(id) ? r : null;
    },
    h.env.patienceMs,
    `recoverExpired to report job ${id}`,
  );
}

/**
 * An expired lease returns the job to waiting with its stall count raised; past
 * `maxStalls` the job fails with a StalledError. No job is lost by a crashed worker.
 */
export function stalls(env: SuiteEnv): void {
  const h = useHarness(env, 'stalls');

  it('an expired lease returns the job to waiting with stalls + 1; live leases are untouched', async () => {
    const name = h.name();
    const [expiring, live] = await h.addRaw(name, [{}, {}]);
    await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    await h.reserveOne(name, { leaseMs: 60_000 });
    const r = await recoverUntil(h, name, expiring!, 5);
    expect(r).toEqual({ recovered: [expiring], failed: [] });
    const job = (await h.backend.admin.get(name, expiring!))!;
    expect(job).toMatchObject({ state: 'waiting', stalls: 1, attemptsMade: 0, attemptsStarted: 1 });
    expect(job.leaseExpiresAt).toBeUndefined();
    expect((await h.backend.admin.get(name, live!))!.state).toBe('active');
    const again = await h.reserveOne(name);
    expect(again.job).toMatchObject({ id: expiring, attemptsStarted: 2, stalls: 1 });
  });

  it('a job that stalls more than maxStalls times fails with a StalledError', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    expect(await recoverUntil(h, name, id!, 1)).toEqual({ recovered: [id], failed: [] });
    await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    expect(await recoverUntil(h, name, id!, 1)).toEqual({ recovered: [], failed: [id] });
    const job = (await h.backend.admin.get(name, id!))!;
    expect(job.state).toBe('failed');
    expect(job.stalls).toBe(2);
    // Only a worker's settlement counts as an attempt.
    expect(job.attemptsMade).toBe(0);
    expect(job.error?.name).toBe('StalledError');
    expect(job.error?.message).toBe('job stalled more than maxStalls times');
    expect(job.finishedAt).toBeGreaterThan(0);
    expect(job.leaseExpiresAt).toBeUndefined();
    expect(await h.backend.admin.counts(name)).toMatchObject({ active: 0, waiting: 0, failed: 1 });
  });

  it('maxStalls 0 fails a job at its first stall and releases its dedup key', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{ dedup: { id: 'stall-key' } }]);
    await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    expect(await recoverUntil(h, name, id!, 0)).toEqual({ recovered: [], failed: [id] });
    expect((await h.backend.admin.get(name, id!))!.state).toBe('failed');
    expect(await h.backend.admin.getDedupOwner(name, 'stall-key')).toBeNull();
  });

  it('recoverExpired takes at most `limit` expired leases per call', async () => {
    const name = h.name();
    await h.addRaw(name, [{}, {}, {}]);
    await h.reserve(name, { max: 3, leaseMs: env.shortLeaseMs });
    await sleep(env.shortLeaseMs + env.timing.tickMs);
    const first = await waitFor(
      async () => {
        const r = await h.backend.jobs.recoverExpired(name, { maxStalls: 5, limit: 2 });
        return r.recovered.length > 0 ? r : null;
      },
      env.patienceMs,
      'recoverExpired to recover expired leases',
    );
    expect(first.recovered).toHaveLength(2);
    const second = await h.backend.jobs.recoverExpired(name, { maxStalls: 5, limit: 2 });
    expect(second.recovered).toHaveLength(1);
    expect(await h.backend.admin.counts(name)).toMatchObject({ active: 0, waiting: 3 });
  });

  it('a worker recovers the job of a crashed worker and runs it', async () => {
    const q = h.queue();
    const { id } = await q.add('orphan', null);
    // A "crashed" worker: it leased the job and will never renew or settle it.
    await h.reserveOne(q.name, { leaseMs: env.shortLeaseMs, workerId: 'conf-crashed' });
    const stalled: string[] = [];
    const w = h.worker(q.name, async () => 'rescued', {
      stalledIntervalMs: Math.max(10, 2 * env.timing.tickMs),
      maxStalls: 1,
    });
    w.on('stalled', (recovered) => stalled.push(...recovered));
    const job = await waitForState(q, id, 'completed', env.patienceMs);
    expect(job.returnValue).toBe('rescued');
    expect(job.stalls).toBe(1);
    expect(job.attemptsStarted).toBe(2);
    expect(job.attemptsMade).toBe(1);
    expect(stalled).toContain(id);
  });

  it('a worker fails a job that stalled more than maxStalls times', async () => {
    const q = h.queue();
    const { id } = await q.add('orphan', null, { attempts: 3 });
    await h.reserveOne(q.name, { leaseMs: env.shortLeaseMs, workerId: 'conf-crashed' });
    const failedIds: string[] = [];
    const w = h.worker(q.name, async () => 'never', {
      stalledIntervalMs: Math.max(10, 2 * env.timing.tickMs),
      maxStalls: 0,
    });
    w.on('stalled', (_recovered, failed) => failedIds.push(...failed));
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.error?.name).toBe('StalledError');
    expect(job.attemptsStarted).toBe(1);
    expect(failedIds).toEqual([id]);
  });
}
