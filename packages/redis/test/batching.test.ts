import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  addAll,
  backend,
  closeAll,
  drainOrder,
  job,
  lease,
  sleep,
  svc,
  uniquePrefix,
} from './helpers.js';

const prefix = uniquePrefix('batching');
let n = 0;
const qname = () => `q${++n}`;

/** Counts the script calls `b` sends from now on. */
function countScriptCalls(b: ReturnType<typeof backend>): () => number {
  const spy = vi.spyOn(b.client, 'call');
  return () => spy.mock.calls.filter((c) => c[0] === 'EVALSHA').length;
}

describe.skipIf(svc.skip !== undefined)('redis backend: batched calls', () => {
  afterAll(() => closeAll(prefix));

  it('adds made in one tick share a call, keep call order and get their own results', async () => {
    const b = backend(prefix);
    const q = qname();
    await b.ready();
    const scriptCalls = countScriptCalls(b);
    const calls = Array.from({ length: 40 }, (_, i) =>
      b.jobs.add(q, [job({ id: `c${i}`, payload: String(i) })]),
    );
    const results = await Promise.all(calls);
    // Two calls: the tick's adds are split in halves, one event-loop turn apart.
    expect(scriptCalls()).toBe(2);
    expect(results).toEqual(calls.map((_, i) => [{ status: 'added', id: `c${i}` }]));
    expect(await drainOrder(b, q)).toEqual(calls.map((_, i) => `c${i}`));
  });

  it('an add made while the second half waits joins it, after the earlier ones', async () => {
    const b = backend(prefix);
    const q = qname();
    const first = Array.from({ length: 10 }, (_, i) => b.jobs.add(q, [job({ id: `a${i}` })]));
    // Runs after this tick's flush, before the deferred half leaves.
    const late = new Promise<unknown>((resolve) => {
      process.nextTick(() => process.nextTick(() => resolve(b.jobs.add(q, [job({ id: 'late' })]))));
    });
    await Promise.all([...first, late]);
    expect(await drainOrder(b, q)).toEqual([...first.map((_, i) => `a${i}`), 'late']);
  });

  it('a merged call that fails rejects every add it carried', async () => {
    const b = backend(prefix);
    const q = qname();
    await b.ready();
    await b.close();
    const calls = Array.from({ length: 5 }, () => b.jobs.add(q, [job()]));
    const settled = await Promise.allSettled(calls);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
  });

  it('an all-digit custom id in a batch never collides with the auto ids after it', async () => {
    const b = backend(prefix);
    const q = qname();
    const ids = await addAll(b, q, [{}, { id: '3' }, {}, {}]);
    expect(new Set(ids).size).toBe(4);
    expect(ids[1]).toBe('3');
    for (const id of [ids[2], ids[3]]) expect(Number(id)).toBeGreaterThan(3);
  });

  it('leases and settles thousands of jobs in one call (variadic commands are chunked)', async () => {
    const b = backend(prefix);
    const q = qname();
    const count = 9000;
    for (let i = 0; i < count; i += 1000)
      await addAll(
        b,
        q,
        Array.from({ length: 1000 }, () => ({})),
      );
    const leased = await lease(b, q, count);
    expect(leased).toHaveLength(count);
    expect((await b.admin.counts(q)).active).toBe(count);
    const { results } = await b.jobs.settle(
      q,
      leased.map((r) => ({ kind: 'completed' as const, jobId: r.job.id, token: r.token })),
    );
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(await b.admin.counts(q)).toMatchObject({ active: 0, completed: count });
  });

  it('promotes a due delayed job after the earlier one it was queued behind is removed', async () => {
    const b = backend(prefix);
    const q = qname();
    const [early] = await addAll(b, q, [{ delay: 100 }]);
    await addAll(b, q, [{ id: 'later', delay: 300 }]);
    expect(await lease(b, q)).toEqual([]);
    await b.admin.remove(q, [early as string]);
    await sleep(350);
    const [r] = await lease(b, q);
    expect(r?.job.id).toBe('later');
  });

  it('a delayed job due before the queue’s next due time is promoted on time', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ id: 'slow', delay: 60_000 }]);
    expect(await lease(b, q)).toEqual([]);
    await addAll(b, q, [{ id: 'soon', delay: 50 }]);
    await sleep(120);
    const [r] = await lease(b, q);
    expect(r?.job.id).toBe('soon');
  });
});
