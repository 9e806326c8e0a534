import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';

/** A custom `jobId` that exists returns the existing job, in any state, never a second one. */
export function idempotency(env: SuiteEnv): void {
  const h = useHarness(env, 'idempotency');

  it('adding an existing jobId returns the existing job and writes nothing', async () => {
    const q = h.queue();
    const first = await q.add('order', { n: 1 }, { jobId: 'order-42' });
    const second = await q.add('order', { n: 2 }, { jobId: 'order-42', priority: 9 });
    expect(first).toMatchObject({ status: 'added', id: 'order-42' });
    expect(second).toMatchObject({ status: 'duplicate', id: 'order-42' });
    const job = (await q.getJob('order-42'))!;
    expect(job.data).toEqual({ n: 1 });
    expect(job.priority).toBe(0);
    expect(await q.getCounts()).toMatchObject({ waiting: 1 });
  });

  it('20 concurrent adds of one jobId create exactly one job', async () => {
    const name = h.name();
    const producers = Array.from({ length: 20 }, () => h.queue({ name }));
    const results = await Promise.all(
      producers.map((q, i) => q.add('pay', { producer: i }, { jobId: 'invoice-7' })),
    );
    expect(results.filter((r) => r.status === 'added')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(19);
    expect(results.every((r) => r.id === 'invoice-7')).toBe(true);
    const counts = await producers[0]!.getCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('a jobId stays taken while its job is active, completed or failed', async () => {
    const name = h.name();
    const q = h.queue({ name });
    await h.addRaw(name, [{ id: 'done-1' }, { id: 'failed-1' }, { id: 'active-1' }]);
    const [done, failed] = await h.reserve(name, { max: 2 });
    await h.backend.jobs.settle(name, [
      { jobId: done!.job.id, token: done!.token, kind: 'completed' },
      {
        jobId: failed!.job.id,
        token: failed!.token,
        kind: 'failed',
        error: { name: 'Error', message: 'x' },
      },
    ]);
    await h.reserveOne(name);
    for (const id of ['done-1', 'failed-1', 'active-1']) {
      expect(await q.add('again', null, { jobId: id })).toMatchObject({ status: 'duplicate', id });
    }
    expect(await q.getCounts()).toMatchObject({ waiting: 0, active: 1, completed: 1, failed: 1 });
  });

  it('a batch holding one jobId twice adds it once', async () => {
    const q = h.queue();
    const results = await q.addBulk([
      { name: 'a', data: 1, opts: { jobId: 'twice' } },
      { name: 'b', data: 2, opts: { jobId: 'twice' } },
      { name: 'c', data: 3 },
    ]);
    expect(results.map((r) => r.status)).toEqual(['added', 'duplicate', 'added']);
    expect((await q.getJob('twice'))!.data).toBe(1);
    expect((await q.getCounts()).waiting).toBe(2);
  });

  it('a removed job frees its jobId', async () => {
    const q = h.queue();
    await q.add('a', 1, { jobId: 'reusable' });
    expect(await q.removeJob('reusable')).toBe(true);
    expect(await q.add('a', 2, { jobId: 'reusable' })).toMatchObject({ status: 'added' });
    expect((await q.getJob('reusable'))!.data).toBe(2);
  });

  it('the same jobId in two queues makes two jobs', async () => {
    const a = h.queue();
    const b = h.queue();
    expect((await a.add('x', 1, { jobId: 'shared' })).status).toBe('added');
    expect((await b.add('x', 2, { jobId: 'shared' })).status).toBe('added');
    expect((await b.getJob('shared'))!.data).toBe(2);
  });
}
