import type { Backend, NewJob } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { addAll, clocked, complete, fail, lease, leaseOne } from './helpers.js';

const Q = 'q';

describe('memory backend: retention', () => {
  const keep = (removeOnComplete: unknown) =>
    ({
      opts: { attempts: 1, removeOnComplete, removeOnFail: false },
    }) as Partial<NewJob>;

  async function finishAll(b: Backend, n: number, over: Partial<NewJob>) {
    await addAll(
      b,
      Q,
      Array.from({ length: n }, () => over),
    );
    for (const r of await lease(b, Q, n)) await complete(b, Q, r);
  }

  it('true deletes at once (with logs); false keeps everything', async () => {
    const { backend: b } = clocked();
    await addAll(b, Q, [keep(true)]);
    const r = await leaseOne(b, Q);
    await b.admin.addLog(Q, r.job.id, r.token, 'line', 10);
    await complete(b, Q, r);
    expect(await b.admin.get(Q, r.job.id)).toBeNull();
    expect(await b.admin.getLogs(Q, r.job.id, 0, 10)).toEqual([]);
    await finishAll(b, 3, keep(false));
    expect((await b.admin.counts(Q)).completed).toBe(3);
  });

  it('a count keeps the most recently finished jobs', async () => {
    const { backend: b } = clocked();
    await finishAll(b, 5, keep(2));
    const kept = await b.admin.list(Q, { state: 'completed', offset: 0, limit: 10, order: 'asc' });
    expect(kept.map((j) => j.id)).toEqual(['4', '5']);
    await finishAll(b, 2, keep({ count: 1 }));
    expect(
      (await b.admin.list(Q, { state: 'completed', offset: 0, limit: 10, order: 'desc' })).map(
        (j) => j.id,
      ),
    ).toEqual(['7']);
  });

  it('an age deletes jobs that finished before now - age', async () => {
    const { backend: b, clock } = clocked();
    await finishAll(b, 2, keep({ age: 1000 }));
    clock.advance(1000);
    await finishAll(b, 1, keep({ age: 1000 }));
    expect((await b.admin.counts(Q)).completed).toBe(3);
    clock.advance(1);
    await finishAll(b, 1, keep({ age: 1000, count: 10 }));
    const kept = await b.admin.list(Q, { state: 'completed', offset: 0, limit: 10, order: 'asc' });
    expect(kept.map((j) => j.id)).toEqual(['3', '4']);
  });

  it('removeOnFail applies to failed jobs only', async () => {
    const { backend: b } = clocked();
    await addAll(
      b,
      Q,
      Array.from({ length: 3 }, () => ({
        opts: { attempts: 1, removeOnComplete: false, removeOnFail: 1 },
      })),
    );
    for (const r of await lease(b, Q, 3)) await fail(b, Q, r);
    expect(await b.admin.counts(Q)).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 1,
    });
  });
});
