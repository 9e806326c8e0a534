import {
  DEFAULT_REMOVE_ON_COMPLETE,
  DEFAULT_REMOVE_ON_FAIL,
  type KeepPolicy,
  type StoredJobOptions,
} from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { finishMany, finishNext } from '../support/settle.js';
import { sleep, waitFor } from '../support/wait-for.js';

function keep(removeOnComplete: KeepPolicy, removeOnFail: KeepPolicy): StoredJobOptions {
  return { attempts: 1, removeOnComplete, removeOnFail };
}

/**
 * removeOnComplete / removeOnFail applied by `settle`: `true`, a count, an age; the
 * defaults keep finished jobs bounded; and `applyRetention`, housekeeping that applies
 * each job's own policy and nothing else.
 */
export function retention(env: SuiteEnv): void {
  const h = useHarness(env, 'retention');
  const age = () => Math.max(50, 4 * env.timing.tickMs);

  it('removeOnComplete: true deletes the job (and its logs) as it completes', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{ opts: keep(true, false) }]);
    const lease = await h.reserveOne(name);
    await h.backend.admin.addLog(name, id!, lease.token, 'line', 10);
    await h.backend.jobs.settle(name, [{ jobId: id!, token: lease.token, kind: 'completed' }]);
    expect(await h.backend.admin.get(name, id!)).toBeNull();
    expect(await h.backend.admin.getLogs(name, id!, 0, 10)).toEqual([]);
    expect(await h.backend.admin.counts(name)).toMatchObject({ active: 0, completed: 0 });
  });

  it('removeOnFail: true deletes the job as it fails; a retry keeps it', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{ opts: { ...keep(false, true), attempts: 2 } }]);
    const first = await h.reserveOne(name);
    await h.backend.jobs.settle(name, [
      {
        jobId: id!,
        token: first.token,
        kind: 'retry',
        runAt: Date.now(),
        error: { name: 'Error', message: 'again' },
      },
    ]);
    expect((await h.backend.admin.get(name, id!))!.state).toBe('waiting');
    expect(await finishNext(h.backend, name, 'failed')).toBe(id);
    expect(await h.backend.admin.get(name, id!)).toBeNull();
    expect(await h.backend.admin.counts(name)).toMatchObject({ failed: 0, waiting: 0 });
  });

  it('removeOnComplete: n keeps the n most recently completed jobs', async () => {
    const name = h.name();
    await h.addRaw(
      name,
      Array.from({ length: 5 }, () => ({ opts: keep(2, false) })),
    );
    const done = await finishMany(h.backend, name, 'completed', 5);
    expect(await h.backend.admin.counts(name)).toMatchObject({ completed: 2 });
    const kept = await h.backend.admin.list(name, {
      state: 'completed',
      offset: 0,
      limit: 10,
      order: 'asc',
    });
    expect(kept.map((j) => j.id)).toEqual(done.slice(3));
    for (const id of done.slice(0, 3)) expect(await h.backend.admin.get(name, id)).toBeNull();
  });

  it('removeOnFail: { count } keeps the n most recently failed jobs', async () => {
    const name = h.name();
    await h.addRaw(
      name,
      Array.from({ length: 4 }, () => ({ opts: keep(false, { count: 1 }) })),
    );
    const failed = await finishMany(h.backend, name, 'failed', 4);
    expect(await h.backend.admin.counts(name)).toMatchObject({ failed: 1 });
    expect((await h.backend.admin.get(name, failed[3]!))!.state).toBe('failed');
  });

  it('removeOnComplete: { age } deletes completed jobs older than the age at the next completion', async () => {
    const name = h.name();
    const [old, fresh] = await h.addRaw(name, [
      { opts: keep({ age: age() }, false) },
      { opts: keep({ age: age() }, false) },
    ]);
    expect(await finishNext(h.backend, name, 'completed')).toBe(old);
    await sleep(age() + env.timing.tickMs);
    expect(await finishNext(h.backend, name, 'completed')).toBe(fresh);
    expect(await h.backend.admin.get(name, old!)).toBeNull();
    expect((await h.backend.admin.get(name, fresh!))!.state).toBe('completed');
    expect(await h.backend.admin.counts(name)).toMatchObject({ completed: 1 });
  });

  it('removeOnFail: { age, count } applies both limits', async () => {
    const name = h.name();
    const opts = keep(false, { age: age(), count: 2 });
    await h.addRaw(
      name,
      Array.from({ length: 4 }, () => ({ opts })),
    );
    const failed = await finishMany(h.backend, name, 'failed', 3);
    expect(await h.backend.admin.counts(name)).toMatchObject({ failed: 2 });
    await sleep(age() + env.timing.tickMs);
    const last = await finishNext(h.backend, name, 'failed');
    expect(await h.backend.admin.counts(name)).toMatchObject({ failed: 1 });
    expect((await h.backend.admin.get(name, last))!.state).toBe('failed');
    for (const id of failed) expect(await h.backend.admin.get(name, id)).toBeNull();
  });

  it('false keeps every finished job', async () => {
    const name = h.name();
    await h.addRaw(
      name,
      Array.from({ length: 6 }, () => ({ opts: keep(false, false) })),
    );
    await finishMany(h.backend, name, 'completed', 3);
    await finishMany(h.backend, name, 'failed', 3);
    expect(await h.backend.admin.counts(name)).toMatchObject({ completed: 3, failed: 3 });
  });

  it('a worker honours removeOnComplete and removeOnFail given to add', async () => {
    const q = h.queue();
    const completed: string[] = [];
    const failed: string[] = [];
    const w = h.worker(q.name, async (job) => {
      if (job.name === 'bad') throw new Error('bad');
    });
    w.on('completed', (job) => completed.push(job.id));
    w.on('failed', (job) => failed.push(job.id));
    await q.add('good', null, { removeOnComplete: true });
    await q.add('bad', null, { removeOnFail: true });
    await q.add('kept', null, { removeOnComplete: false });
    await waitFor(
      () => completed.length === 2 && failed.length === 1,
      env.patienceMs,
      'three jobs finished',
    );
    expect(await q.getCounts()).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
    expect((await q.getJobs('completed')).map((j) => j.name)).toEqual(['kept']);
  });

  it('applyRetention removes a finished job only when its own policy says so', async () => {
    const name = h.name();
    const month = 30 * 86_400_000;
    const [byCount, byAge] = await h.addRaw(name, [
      { opts: keep({ count: 1 }, false) },
      { opts: keep({ age: age() }, false) },
    ]);
    const [oldFail] = await h.addRaw(name, [{ opts: keep(false, { age: age() }) }]);
    await finishMany(h.backend, name, 'completed', 2);
    await finishNext(h.backend, name, 'failed');
    await sleep(age() + env.timing.tickMs);
    const [keptAll, keptYoung] = await h.addRaw(name, [
      { opts: keep(false, false) },
      { opts: keep({ age: month }, false) },
    ]);
    const [failKept, failYoung] = await h.addRaw(name, [
      { opts: keep(false, false) },
      { opts: keep(false, { age: month }) },
    ]);
    await finishMany(h.backend, name, 'completed', 2);
    await finishMany(h.backend, name, 'failed', 2);
    const apply = (state: 'completed' | 'failed', offset: number, limit: number) =>
      h.backend.admin.applyRetention(name, { state, offset, limit });
    // A page examines `limit` jobs from `offset`, oldest finished first.
    expect(await apply('completed', 2, 1)).toEqual({ removed: [], examined: 1 });
    // byCount: 3 jobs finished after it, over its count of 1; byAge: past its own age.
    expect(await apply('completed', 0, 10)).toEqual({ removed: [byCount, byAge], examined: 4 });
    expect(await apply('completed', 0, 10)).toEqual({ removed: [], examined: 2 });
    expect(await apply('failed', 0, 10)).toEqual({ removed: [oldFail], examined: 3 });
    for (const id of [byCount, byAge, oldFail])
      expect(await h.backend.admin.get(name, id!)).toBeNull();
    for (const id of [keptAll, keptYoung]) {
      expect((await h.backend.admin.get(name, id!))!.state).toBe('completed');
    }
    for (const id of [failKept, failYoung]) {
      expect((await h.backend.admin.get(name, id!))!.state).toBe('failed');
    }
    expect(await h.backend.admin.counts(name)).toMatchObject({ completed: 2, failed: 2 });
    expect(
      await h.backend.admin.applyRetention(h.name(), { state: 'failed', offset: 0, limit: 10 }),
    ).toEqual({ removed: [], examined: 0 });
  });

  it('the default retention is bounded by age and count, and is what the backend stores', async () => {
    for (const policy of [DEFAULT_REMOVE_ON_COMPLETE, DEFAULT_REMOVE_ON_FAIL]) {
      expect(Number.isFinite(policy.age) && policy.age > 0).toBe(true);
      expect(Number.isFinite(policy.count) && policy.count > 0).toBe(true);
    }
    const q = h.queue();
    const { id } = await q.add('defaults', null);
    const job = (await q.getJob(id))!;
    expect(job.opts.removeOnComplete).toEqual(DEFAULT_REMOVE_ON_COMPLETE);
    expect(job.opts.removeOnFail).toEqual(DEFAULT_REMOVE_ON_FAIL);
  });
}
