import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { reserveAllInOrder } from '../support/raw-jobs.js';
import { sleep, waitFor } from '../support/wait-for.js';

/** Higher priority first; FIFO within a priority; LIFO jobs newest first, ahead of FIFO ones. */
export function ordering(env: SuiteEnv): void {
  const h = useHarness(env, 'ordering');

  it('FIFO: jobs of one priority are reserved in add order', async () => {
    const name = h.name();
    const ids = await h.addRaw(name, [{}, {}, {}, {}, {}]);
    expect(await reserveAllInOrder(h.backend, name)).toEqual(ids);
  });

  it('priority: higher priority first, FIFO among equals', async () => {
    const name = h.name();
    const [p0, p5a, p1, p5b, p0b] = await h.addRaw(name, [
      { priority: 0 },
      { priority: 5 },
      { priority: 1 },
      { priority: 5 },
      { priority: 0 },
    ]);
    expect(await reserveAllInOrder(h.backend, name)).toEqual([p5a, p5b, p1, p0, p0b]);
  });

  it('LIFO: lifo jobs go before the FIFO jobs of their priority, newest first', async () => {
    const name = h.name();
    const [a, b, c, d, e, f] = await h.addRaw(name, [
      {},
      {},
      { lifo: true },
      { lifo: true },
      { lifo: true, priority: 1 },
      {},
    ]);
    expect(await reserveAllInOrder(h.backend, name)).toEqual([e, d, c, a, b, f]);
  });

  it('one reserve of many jobs grants them in order', async () => {
    const name = h.name();
    const [low, high, mid, lifo] = await h.addRaw(name, [
      { priority: 0 },
      { priority: 9 },
      { priority: 4 },
      { priority: 4, lifo: true },
    ]);
    const leases = await h.reserve(name, { max: 10 });
    expect(leases.map((l) => l.job.id)).toEqual([high, lifo, mid, low]);
  });

  it('a promoted delayed job keeps its priority over waiting jobs', async () => {
    const name = h.name();
    const delay = 2 * env.timing.tickMs;
    const [waiting, urgent] = await h.addRaw(name, [{ priority: 0 }, { priority: 7, delay }]);
    await sleep(delay + env.timing.tickMs);
    expect(await reserveAllInOrder(h.backend, name)).toEqual([urgent, waiting]);
  });

  it('released, retried, stall-recovered and promoted jobs keep their add position', async () => {
    const name = h.name();
    const [delayed] = await h.addRaw(name, [{ delay: 60_000 }]);
    const [released, retried, stalled, last] = await h.addRaw(name, [{}, {}, {}, {}]);
    const leases = await h.reserve(name, { max: 2 });
    const stale = await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    expect([...leases.map((l) => l.job.id), stale.job.id]).toEqual([released, retried, stalled]);
    await h.backend.jobs.settle(name, [
      { jobId: released!, token: leases[0]!.token, kind: 'released' },
      {
        jobId: retried!,
        token: leases[1]!.token,
        kind: 'retry',
        runAt: Date.now() - 1,
        error: { name: 'Error', message: 'again' },
      },
    ]);
    await waitFor(
      async () =>
        (await h.backend.jobs.recoverExpired(name, { maxStalls: 5, limit: 10 })).recovered.length,
      env.patienceMs,
      'the short lease recovered',
    );
    expect(await h.backend.admin.promote(name, { ids: [delayed!] })).toEqual([delayed]);
    expect(await reserveAllInOrder(h.backend, name)).toEqual([
      delayed,
      released,
      retried,
      stalled,
      last,
    ]);
  });

  it('a concurrency-1 worker runs jobs in priority, then FIFO, then LIFO order', async () => {
    const q = h.queue();
    const added = await q.addBulk([
      { name: 'p0-first', data: null },
      { name: 'p2', data: null, opts: { priority: 2 } },
      { name: 'p0-second', data: null },
      { name: 'p0-lifo', data: null, opts: { lifo: true } },
      { name: 'p1', data: null, opts: { priority: 1 } },
    ]);
    expect(added.every((a) => a.status === 'added')).toBe(true);
    const order: string[] = [];
    h.worker(
      q.name,
      async (job) => {
        order.push(job.name);
      },
      { concurrency: 1 },
    );
    await waitFor(() => order.length === 5, env.patienceMs, 'five jobs processed');
    expect(order).toEqual(['p2', 'p1', 'p0-lifo', 'p0-first', 'p0-second']);
  });
}
