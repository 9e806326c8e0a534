import {
  DeduplicationSchema,
  JobStateError,
  ObliterateRefusedError,
  ValidationError,
} from '@mq/core';
import { caught } from '../support/expect-errors.js';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { finishMany, finishNext } from '../support/settle.js';
import { sleep, waitFor } from '../support/wait-for.js';

const ids = (jobs: { id: string }[]) => jobs.map((j) => j.id);
// Operations return the ids they touched; which ones matters, not the order they are listed in.
const sorted = (list: string[]) => [...list].sort();

/**
 * Exact counts, listing with paging and order, and the operator actions: remove, retry,
 * promote, clean, drain, obliterate, and updating a queued job's data.
 */
export function administration(env: SuiteEnv): void {
  const h = useHarness(env, 'administration');
  const settleGap = () => env.timing.tickMs;

  it('counts are exact after a mixed workload', async () => {
    const q = h.queue();
    await h.addRaw(
      q.name,
      Array.from({ length: 9 }, () => ({})),
    );
    await h.addRaw(q.name, [{ delay: 60_000 }, { delay: 60_000 }]);
    await finishMany(h.backend, q.name, 'completed', 3);
    await finishMany(h.backend, q.name, 'failed', 2);
    const retried = await h.reserveOne(q.name);
    await h.backend.jobs.settle(q.name, [
      {
        jobId: retried.job.id,
        token: retried.token,
        kind: 'retry',
        runAt: Date.now() + 60_000,
        error: { name: 'Error', message: 'later' },
      },
    ]);
    await h.reserve(q.name, { max: 2 });
    expect(await q.getCounts()).toEqual({
      waiting: 1,
      delayed: 3,
      active: 2,
      completed: 3,
      failed: 2,
    });
    const empty = h.queue();
    expect(await empty.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('getJobs pages waiting jobs in reservation order, asc and desc', async () => {
    const q = h.queue();
    const [a, b, c, d, e] = await h.addRaw(q.name, [
      {},
      { priority: 2 },
      {},
      { lifo: true },
      { priority: 1 },
    ]);
    const order = [b, e, d, a, c];
    expect(ids(await q.getJobs('waiting'))).toEqual(order);
    expect(ids(await q.getJobs('waiting', { order: 'desc' }))).toEqual([...order].reverse());
    expect(ids(await q.getJobs('waiting', { offset: 1, limit: 2 }))).toEqual(order.slice(1, 3));
    expect(ids(await q.getJobs('waiting', { offset: 4, limit: 10 }))).toEqual(order.slice(4));
    expect(ids(await q.getJobs('waiting', { offset: 5 }))).toEqual([]);
    expect(ids(await q.getJobs('waiting', { offset: 0, limit: 2, order: 'desc' }))).toEqual([c, a]);
    const reserved = [];
    for (let i = 0; i < 5; i++) reserved.push((await h.reserveOne(q.name)).job.id);
    expect(reserved).toEqual(order);
  });

  it('getJobs lists delayed soonest first, active by start, finished by finish time', async () => {
    const q = h.queue();
    const [late, soon, mid] = await h.addRaw(q.name, [
      { delay: 90_000 },
      { delay: 30_000 },
      { delay: 60_000 },
    ]);
    expect(ids(await q.getJobs('delayed'))).toEqual([soon, mid, late]);
    expect(ids(await q.getJobs('delayed', { order: 'desc' }))).toEqual([late, mid, soon]);

    const [x, y, z] = await h.addRaw(q.name, [{}, {}, {}]);
    const first = await h.reserveOne(q.name);
    await sleep(2);
    const second = await h.reserveOne(q.name);
    expect([first.job.id, second.job.id]).toEqual([x, y]);
    expect(ids(await q.getJobs('active'))).toEqual([x, y]);
    expect(ids(await q.getJobs('active', { order: 'desc' }))).toEqual([y, x]);

    // Finish y before x: completed lists follow finish time, not add order.
    for (const lease of [second, first]) {
      await h.backend.jobs.settle(q.name, [
        { jobId: lease.job.id, token: lease.token, kind: 'completed' },
      ]);
      await sleep(2);
    }
    expect(ids(await q.getJobs('completed'))).toEqual([y, x]);
    expect(ids(await q.getJobs('completed', { order: 'desc' }))).toEqual([x, y]);
    expect(ids(await q.getJobs('completed', { offset: 1, limit: 1 }))).toEqual([x]);
    const failedId = await finishNext(h.backend, q.name, 'failed');
    expect(failedId).toBe(z);
    const failed = await q.getJobs('failed');
    expect(ids(failed)).toEqual([z]);
    expect(failed[0]!.failedReason).toBe(`failed ${z}`);
  });

  it('getJob of an unknown id is null', async () => {
    const q = h.queue();
    expect(await q.getJob('conf-missing')).toBeNull();
    await q.add('a', null);
    expect(await q.getJob('999999')).toBeNull();
  });

  it('remove deletes jobs that are not active, with their logs', async () => {
    const q = h.queue();
    const [active, done, failed, waiting, delayed] = await h.addRaw(q.name, [
      {},
      {},
      {},
      {},
      { delay: 60_000 },
    ]);
    const lease = await h.reserveOne(q.name);
    expect(lease.job.id).toBe(active);
    await h.backend.admin.addLog(q.name, active!, lease.token, 'kept', 10);
    expect(await finishNext(h.backend, q.name, 'completed')).toBe(done);
    expect(await finishNext(h.backend, q.name, 'failed')).toBe(failed);
    const removed = await h.backend.admin.remove(q.name, [
      active!,
      done!,
      failed!,
      waiting!,
      delayed!,
      'conf-missing',
    ]);
    expect(sorted(removed)).toEqual(sorted([done!, failed!, waiting!, delayed!]));
    expect(await q.removeJob(active!)).toBe(false);
    expect(await q.removeJob('conf-missing')).toBe(false);
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 1,
      completed: 0,
      failed: 0,
    });
    for (const id of [done, failed, waiting, delayed]) expect(await q.getJob(id!)).toBeNull();
    expect(await q.getJobLogs(active!)).toEqual(['kept']);
  });

  it('a removed job loses its logs', async () => {
    const q = h.queue();
    const [id] = await h.addRaw(q.name, [{}]);
    const lease = await h.reserveOne(q.name);
    await h.backend.admin.addLog(q.name, id!, lease.token, 'line', 10);
    await h.backend.jobs.settle(q.name, [{ jobId: id!, token: lease.token, kind: 'completed' }]);
    expect(await q.removeJob(id!)).toBe(true);
    expect(await q.getJobLogs(id!)).toEqual([]);
  });

  it('retryJobs by ids moves failed and completed jobs back to waiting with attempts reset', async () => {
    const q = h.queue();
    await h.addRaw(q.name, [{}, {}, {}]);
    const done = await finishNext(h.backend, q.name, 'completed');
    const failed = await finishNext(h.backend, q.name, 'failed');
    const stillWaiting = (await q.getJobs('waiting'))[0]!.id;
    const retried = await q.retryJobs({ ids: [done, failed, stillWaiting, 'conf-missing'] });
    expect(sorted(retried)).toEqual(sorted([done, failed]));
    const before = Date.now();
    for (const id of [done, failed]) {
      const job = (await q.getJob(id))!;
      expect(job.state).toBe('waiting');
      expect([job.attemptsMade, job.attemptsStarted, job.stalls]).toEqual([0, 0, 0]);
      expect(job.error).toBeUndefined();
      expect(job.record.result).toBeUndefined();
      expect(job.finishedAt).toBeUndefined();
      expect(job.runAt).toBeLessThanOrEqual(before + env.timing.slackMs);
    }
    expect(await q.getCounts()).toMatchObject({ waiting: 3, completed: 0, failed: 0 });
    expect(await h.reserve(q.name, { max: 10 })).toHaveLength(3);
  });

  it('retryJobs by state retries the oldest finished first, up to the limit', async () => {
    const q = h.queue();
    await h.addRaw(
      q.name,
      Array.from({ length: 4 }, () => ({})),
    );
    const failed = await finishMany(h.backend, q.name, 'failed', 4);
    const retried = await q.retryJobs({ state: 'failed', limit: 3 });
    expect(sorted(retried)).toEqual(sorted(failed.slice(0, 3)));
    expect(await q.getCounts()).toMatchObject({ waiting: 3, failed: 1 });
    expect((await q.getJob(failed[3]!))!.state).toBe('failed');
    expect(await q.retryJobs({ state: 'completed', limit: 10 })).toEqual([]);
  });

  it('promoteJobs makes delayed jobs waiting now: by ids, or the soonest up to a limit', async () => {
    const q = h.queue();
    const [late, soon, mid, other] = await h.addRaw(q.name, [
      { delay: 90_000 },
      { delay: 30_000 },
      { delay: 60_000 },
      { delay: 120_000 },
    ]);
    expect(await q.promoteJobs({ ids: [late!, 'conf-missing'] })).toEqual([late]);
    const promoted = (await q.getJob(late!))!;
    expect(promoted.state).toBe('waiting');
    expect(promoted.runAt).toBeLessThanOrEqual(Date.now() + env.timing.slackMs);
    expect(sorted(await q.promoteJobs({ limit: 2 }))).toEqual(sorted([soon!, mid!]));
    expect(await q.getCounts()).toMatchObject({ waiting: 3, delayed: 1 });
    expect((await q.getJob(other!))!.state).toBe('delayed');
    const granted = await h.reserve(q.name, { max: 10 });
    expect(sorted(granted.map((g) => g.job.id))).toEqual(sorted([late!, soon!, mid!]));
  });

  it('cleanJobs removes jobs of a state older than the grace, oldest first, up to the limit', async () => {
    const q = h.queue();
    await h.addRaw(
      q.name,
      Array.from({ length: 4 }, () => ({})),
    );
    const done = await finishMany(h.backend, q.name, 'completed', 4);
    expect(await q.cleanJobs({ state: 'completed', grace: 60_000 })).toEqual([]);
    await sleep(settleGap());
    expect(sorted(await q.cleanJobs({ state: 'completed', grace: 0, limit: 3 }))).toEqual(
      sorted(done.slice(0, 3)),
    );
    expect(await q.getCounts()).toMatchObject({ completed: 1 });
    expect((await q.getJob(done[3]!))!.state).toBe('completed');
  });

  it('cleanJobs with grace 0 removes every job finished up to and including now (the boundary is ≤)', async () => {
    const q = h.queue();
    await h.addRaw(
      q.name,
      Array.from({ length: 8 }, () => ({})),
    );
    // Finished together, in one call, and cleaned at once: all within a ms or two.
    const settleAll = async (kind: 'completed' | 'failed') => {
      const leases = await h.reserve(q.name, { max: 4 });
      const r = await h.backend.jobs.settle(
        q.name,
        leases.map((l) =>
          kind === 'completed'
            ? { jobId: l.job.id, token: l.token, kind }
            : { jobId: l.job.id, token: l.token, kind, error: { name: 'E', message: 'x' } },
        ),
      );
      expect(r.results).toEqual(['ok', 'ok', 'ok', 'ok']);
      return leases.map((l) => l.job.id);
    };
    const completed = await settleAll('completed');
    expect(sorted(await q.cleanJobs({ state: 'completed', grace: 0 }))).toEqual(sorted(completed));
    const failed = await settleAll('failed');
    expect(sorted(await q.cleanJobs({ state: 'failed', grace: 0 }))).toEqual(sorted(failed));
    const [waiting] = await h.addRaw(q.name, [{}]);
    expect(await q.cleanJobs({ state: 'waiting', grace: 0 })).toEqual([waiting]);
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('cleanJobs of waiting and delayed goes by creation time; failed by finish time', async () => {
    const q = h.queue();
    const [old] = await h.addRaw(q.name, [{}]);
    const [oldDelayed] = await h.addRaw(q.name, [{ delay: 60_000 }]);
    await sleep(4 * settleGap());
    await h.addRaw(q.name, [{}, { delay: 60_000 }]);
    const grace = 2 * settleGap();
    expect(await q.cleanJobs({ state: 'waiting', grace })).toEqual([old]);
    expect(await q.cleanJobs({ state: 'delayed', grace })).toEqual([oldDelayed]);
    expect(await q.getCounts()).toMatchObject({ waiting: 1, delayed: 1 });
    const failed = await finishNext(h.backend, q.name, 'failed');
    await sleep(settleGap());
    expect(await q.cleanJobs({ state: 'failed', grace: 0 })).toEqual([failed]);
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 1,
      active: 0,
      completed: 0,
      failed: 0,
    });
  });

  it('drain removes waiting jobs, and delayed ones only when asked; active ones stay', async () => {
    const q = h.queue();
    await h.addRaw(q.name, [{}, {}, {}, { delay: 60_000 }, { delay: 60_000 }]);
    await h.reserveOne(q.name);
    expect(await q.drain()).toBe(2);
    expect(await q.getCounts()).toMatchObject({ waiting: 0, delayed: 2, active: 1 });
    await h.addRaw(q.name, [{}]);
    expect(await q.drain({ includeDelayed: true })).toBe(3);
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 1,
      completed: 0,
      failed: 0,
    });
    expect(await q.drain({ includeDelayed: true })).toBe(0);
  });

  it('obliterate refuses while jobs are active, and with force removes everything', async () => {
    const q = h.queue();
    await q.add('a', null, { deduplication: { id: 'k' } });
    await q.add('b', null);
    await q.add('c', null, { delay: 60_000 });
    await q.upsertRepeatable('every-minute', { every: 60_000 }, { name: 'tick' });
    const lease = await h.reserveOne(q.name);
    await h.backend.admin.addLog(q.name, lease.job.id, lease.token, 'line', 10);
    await q.pause();

    const refused = await q.obliterate().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ObliterateRefusedError);
    expect((refused as ObliterateRefusedError).active).toBe(1);
    expect(await h.backend.admin.obliterate(q.name, false)).toEqual({ status: 'active', count: 1 });
    expect(await q.getCounts()).toMatchObject({ waiting: 1, delayed: 1, active: 1 });
    expect(await q.listRepeatables()).toHaveLength(1);

    await q.obliterate({ force: true });
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
    expect(await q.getJob(lease.job.id)).toBeNull();
    expect(await q.getJobLogs(lease.job.id)).toEqual([]);
    expect(await q.getDeduplicationJobId('k')).toBeNull();
    expect(await q.listRepeatables()).toEqual([]);
    expect(await q.isPaused()).toBe(false);
    expect(await h.backend.admin.listQueues()).not.toContain(q.name);
    const again = await q.add('a', null, { deduplication: { id: 'k' } });
    expect(again.status).toBe('added');
    // Ids are never reused within a store: old events and logs cannot be mistaken for it.
    expect(again.id).not.toBe(lease.job.id);
    expect(Number(again.id)).toBeGreaterThan(Number(lease.job.id));
  });

  it('obliterate without active jobs needs no force', async () => {
    const q = h.queue();
    await q.add('a', null);
    await finishNext(h.backend, q.name, 'completed');
    await q.add('b', null);
    await q.obliterate();
    expect(await q.getCounts()).toMatchObject({ waiting: 0, completed: 0 });
  });

  it('listQueues lists queues with jobs, schedules or a pause flag', async () => {
    const withJob = h.queue();
    const withSchedule = h.queue();
    const paused = h.queue();
    const untouched = h.queue();
    await withJob.add('a', null);
    await withSchedule.upsertRepeatable('s', { every: 60_000 }, { name: 'tick' });
    await paused.pause();
    const queues = await h.backend.admin.listQueues();
    expect(queues).toEqual(expect.arrayContaining([withJob.name, withSchedule.name, paused.name]));
    expect(queues).not.toContain(untouched.name);
  });

  it('updateJobData replaces the data of a waiting or delayed job, and of no other', async () => {
    // A schema @mq/core exports (an object `{ id: string, ttl?: integer >= 1, … }`; see
    // typed-tasks), so the suite needs no TypeBox of its own.
    const q = h.queue({ schemas: { typed: DeduplicationSchema } });
    const log = await h.events(q.name);
    const waiting = await q.add('typed', { id: 'v1' });
    const delayed = await q.add('typed', { id: 'v1' }, { delay: 60_000 });
    const other = await q.add('free', 'x');
    const before = (await q.getJob(delayed.id))!;
    await q.updateJobData(waiting.id, { id: 'v2' });
    await q.updateJobData(delayed.id, { id: 'v3' });
    await q.updateJobData(other.id, ['any', 'json']);
    expect((await q.getJob(waiting.id))!).toMatchObject({ state: 'waiting', data: { id: 'v2' } });
    const after = (await q.getJob(delayed.id))!;
    expect(after).toMatchObject({ state: 'delayed', data: { id: 'v3' }, runAt: before.runAt });
    expect(after.opts).toEqual(before.opts);
    // Validated like an add payload (the task's schema), before anything is written.
    const bad = await caught(() => q.updateJobData(waiting.id, { id: 'v2', ttl: 'two' }));
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).issues.map((i) => i.path)).toContain('/data/ttl');
    expect((await q.getJob(waiting.id))!.data).toEqual({ id: 'v2' });
    // Its place in the order is kept: still the first to run.
    const lease = await h.reserveOne(q.name);
    expect(lease.job.id).toBe(waiting.id);
    expect(JSON.parse(lease.job.payload)).toEqual({ id: 'v2' });
    // Active, finished and missing jobs are refused with the state named.
    const active = await caught(() => q.updateJobData(waiting.id, { id: 'v9' }));
    expect(active).toBeInstanceOf(JobStateError);
    expect((active as JobStateError).state).toBe('active');
    await h.backend.jobs.settle(q.name, [
      { jobId: waiting.id, token: lease.token, kind: 'completed' },
    ]);
    expect(
      ((await caught(() => q.updateJobData(waiting.id, { id: 'v9' }))) as JobStateError).state,
    ).toBe('completed');
    expect((await q.getJob(waiting.id))!.data).toEqual({ id: 'v2' });
    expect(
      ((await caught(() => q.updateJobData('missing', { id: 'v9' }))) as JobStateError).state,
    ).toBeNull();
    // The backend's write is conditional on the task and the state.
    expect(await h.backend.admin.updateData(q.name, delayed.id, 'free', '1')).toEqual({
      status: 'not-found',
    });
    expect(await h.backend.admin.updateData(q.name, waiting.id, 'typed', '1')).toEqual({
      status: 'not-updatable',
      state: 'completed',
    });
    expect(await h.backend.admin.updateData(q.name, 'missing', 'typed', '1')).toEqual({
      status: 'not-found',
    });
    await waitFor(
      () => log.all.filter((e) => e.type === 'updated').length === 3,
      env.patienceMs,
      'three updated events',
    );
    expect(log.of(delayed.id).map((e) => e.type)).toContain('updated');
  });
}
