import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';
import { addAll, complete, job, lease, leaseOne, settlesWithin } from './helpers.js';

// Real time here: waitForWork parks on timers. Waits are short and bounded.
const Q = 'q';
const wait = (
  b: ReturnType<typeof createMemoryBackend>,
  maxWaitMs: number,
  signal = new AbortController().signal,
) => b.jobs.waitForWork(Q, { signal, maxWaitMs });

describe('memory backend: waitForWork', () => {
  it('wakes a parked waiter when a job is added', async () => {
    const b = createMemoryBackend();
    const parked = wait(b, 10_000);
    expect(await settlesWithin(parked, 20)).toBe(false);
    await addAll(b, Q, [{}]);
    expect(await settlesWithin(parked, 50)).toBe(true);
  });

  it('resolves at once when a job is already reservable', async () => {
    const b = createMemoryBackend();
    await addAll(b, Q, [{}]);
    expect(await settlesWithin(wait(b, 10_000), 20)).toBe(true);
  });

  it('resolves on abort and after maxWaitMs', async () => {
    const b = createMemoryBackend();
    const ac = new AbortController();
    const parked = wait(b, 10_000, ac.signal);
    ac.abort();
    expect(await settlesWithin(parked, 20)).toBe(true);
    expect(await settlesWithin(wait(b, 30), 500)).toBe(true);
  });

  it('wakes when the earliest delayed job is due, including one added while parked', async () => {
    const b = createMemoryBackend();
    await addAll(b, Q, [{ delay: 10_000 }]);
    const parked = wait(b, 10_000);
    await b.jobs.add(Q, [job({ delay: 40 })]);
    // The add of an earlier delayed job wakes the waiter so it can re-arm.
    expect(await settlesWithin(parked, 20)).toBe(true);
    const started = Date.now();
    await wait(b, 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await lease(b, Q)).toHaveLength(1);
  });

  it('stays parked while paused, wakes on resume', async () => {
    const b = createMemoryBackend();
    await b.admin.setPaused(Q, true);
    await addAll(b, Q, [{}]);
    const parked = wait(b, 10_000);
    expect(await settlesWithin(parked, 30)).toBe(false);
    await b.admin.setPaused(Q, false);
    expect(await settlesWithin(parked, 50)).toBe(true);
  });

  it('wakes on release and on a freed global concurrency slot', async () => {
    const b = createMemoryBackend();
    await b.admin.setGlobalLimits(Q, { concurrency: 1 });
    await addAll(b, Q, [{}, {}]);
    const r = await leaseOne(b, Q);
    const parked = wait(b, 10_000);
    expect(await settlesWithin(parked, 30)).toBe(false);
    await complete(b, Q, r);
    expect(await settlesWithin(parked, 50)).toBe(true);

    const r2 = await leaseOne(b, Q);
    await b.admin.setGlobalLimits(Q, { concurrency: null });
    const parked2 = wait(b, 10_000);
    expect(await settlesWithin(parked2, 30)).toBe(false);
    await b.jobs.settle(Q, [{ kind: 'released', jobId: r2.job.id, token: r2.token }]);
    expect(await settlesWithin(parked2, 50)).toBe(true);
  });

  it('close resolves every parked waiter', async () => {
    const b = createMemoryBackend();
    const parked = [
      wait(b, 10_000),
      b.jobs.waitForWork('other', { signal: new AbortController().signal, maxWaitMs: 10_000 }),
    ];
    await b.close();
    expect(await settlesWithin(Promise.all(parked), 50)).toBe(true);
  });
});
