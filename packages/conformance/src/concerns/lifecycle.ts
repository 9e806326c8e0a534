import { describe, expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { waitFor, waitForState } from '../support/wait-for.js';

/**
 * add → waiting (or delayed) → active under a lease → completed | retried | failed, with
 * attempts, timestamps, result and error recorded at each step.
 */
export function lifecycle(env: SuiteEnv): void {
  const h = useHarness(env, 'lifecycle');
  const skew = () => env.timing.slackMs;

  describe('through the contract', () => {
    it('add stores a waiting job with zeroed counters and its timestamps', async () => {
      const q = h.queue();
      const before = Date.now();
      const added = await q.add('send', { to: 'a@example.com' }, { priority: 3, attempts: 2 });
      expect(added.status).toBe('added');
      expect(added.id).toMatch(/^\d+$/);
      const job = await q.getJob(added.id);
      expect(job).not.toBeNull();
      expect(job!.state).toBe('waiting');
      expect(job!.queue).toBe(q.name);
      expect(job!.name).toBe('send');
      expect(job!.data).toEqual({ to: 'a@example.com' });
      expect(job!.priority).toBe(3);
      expect(job!.opts.attempts).toBe(2);
      expect([job!.attemptsMade, job!.attemptsStarted, job!.stalls]).toEqual([0, 0, 0]);
      expect(job!.createdAt).toBeGreaterThanOrEqual(before - skew());
      expect(job!.createdAt).toBeLessThanOrEqual(Date.now() + skew());
      expect(job!.runAt).toBeGreaterThanOrEqual(job!.createdAt);
      expect(job!.runAt - job!.createdAt).toBeLessThanOrEqual(env.timing.tickMs);
      expect(job!.startedAt).toBeUndefined();
      expect(job!.finishedAt).toBeUndefined();
      expect(job!.error).toBeUndefined();
      expect(job!.record.result).toBeUndefined();
    });

    it('addBulk adds every job, in order, with distinct ids', async () => {
      const q = h.queue();
      const added = await q.addBulk([
        { name: 'a', data: 1 },
        { name: 'b', data: 2 },
        { name: 'c', data: 3 },
      ]);
      expect(added.map((a) => [a.status, a.name])).toEqual([
        ['added', 'a'],
        ['added', 'b'],
        ['added', 'c'],
      ]);
      expect(new Set(added.map((a) => a.id)).size).toBe(3);
      for (const [i, a] of added.entries()) expect((await q.getJob(a.id))!.data).toBe(i + 1);
      expect((await q.getCounts()).waiting).toBe(3);
    });

    it('a delayed add is stored delayed with runAt = createdAt + delay', async () => {
      const q = h.queue();
      const { id } = await q.add('later', null, { delay: 60_000 });
      const job = (await q.getJob(id))!;
      expect(job.state).toBe('delayed');
      expect(job.runAt - job.createdAt).toBeGreaterThanOrEqual(60_000);
      expect(job.runAt - job.createdAt).toBeLessThanOrEqual(60_000 + env.timing.tickMs);
      expect(await q.getCounts()).toMatchObject({ delayed: 1, waiting: 0 });
    });

    it('reserve leases a job: active, attemptsStarted + 1, startedAt, workerId, lease expiry, token', async () => {
      const name = h.name();
      const [id] = await h.addRaw(name, [{}]);
      const before = Date.now();
      const res = await h.backend.jobs.reserve(name, {
        workerId: 'conf-w1',
        max: 5,
        leaseMs: 10_000,
      });
      expect(res.jobs).toHaveLength(1);
      const { job, token } = res.jobs[0]!;
      expect(typeof token).toBe('string');
      expect(token.length).toBeGreaterThan(0);
      expect(job.id).toBe(id);
      expect(job.state).toBe('active');
      expect(job.attemptsStarted).toBe(1);
      expect(job.attemptsMade).toBe(0);
      expect(job.workerId).toBe('conf-w1');
      expect(job.startedAt).toBeGreaterThanOrEqual(before - skew());
      expect(job.leaseExpiresAt! - job.startedAt!).toBeGreaterThanOrEqual(
        10_000 - env.timing.tickMs,
      );
      expect(job.leaseExpiresAt! - job.startedAt!).toBeLessThanOrEqual(10_000 + env.timing.tickMs);
      const stored = (await h.backend.admin.get(name, id!))!;
      expect(stored).toMatchObject({ state: 'active', attemptsStarted: 1, workerId: 'conf-w1' });
      expect(await h.backend.admin.counts(name)).toMatchObject({ waiting: 0, active: 1 });
    });

    it('settle completed records the result and finish time and ends the lease', async () => {
      const name = h.name();
      await h.addRaw(name, [{}]);
      const { job, token } = await h.reserveOne(name);
      const settled = await h.backend.jobs.settle(name, [
        { jobId: job.id, token, kind: 'completed', result: '{"ok":true}' },
      ]);
      expect(settled.results).toEqual(['ok']);
      const done = (await h.backend.admin.get(name, job.id))!;
      expect(done.state).toBe('completed');
      expect(done.attemptsMade).toBe(1);
      expect(done.attemptsStarted).toBe(1);
      expect(done.result).toBe('{"ok":true}');
      expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);
      expect(done.leaseExpiresAt).toBeUndefined();
      expect(await h.backend.admin.counts(name)).toMatchObject({ active: 0, completed: 1 });
    });

    it('settle retry records the error; a future runAt makes it delayed, a past one waiting', async () => {
      const name = h.name();
      const [id] = await h.addRaw(name, [{ opts: rawOpts(3) }]);
      const first = await h.reserveOne(name);
      const runAt = Date.now() + 60_000;
      const error = { name: 'Error', message: 'try again', stack: 'Error: try again\n    at x' };
      const r1 = await h.backend.jobs.settle(name, [
        { jobId: id!, token: first.token, kind: 'retry', runAt, error },
      ]);
      expect(r1.results).toEqual(['ok']);
      const delayed = (await h.backend.admin.get(name, id!))!;
      expect(delayed).toMatchObject({ state: 'delayed', runAt, attemptsMade: 1, error });
      expect(delayed.leaseExpiresAt).toBeUndefined();
      expect(await h.reserve(name)).toEqual([]);

      await h.backend.admin.promote(name, { ids: [id!] });
      const second = await h.reserveOne(name);
      expect(second.job.attemptsStarted).toBe(2);
      const pastRunAt = Date.now() - 1;
      await h.backend.jobs.settle(name, [
        { jobId: id!, token: second.token, kind: 'retry', runAt: pastRunAt, error },
      ]);
      const waiting = (await h.backend.admin.get(name, id!))!;
      expect(waiting).toMatchObject({ state: 'waiting', attemptsMade: 2, runAt: pastRunAt });
      expect(await h.backend.admin.counts(name)).toMatchObject({ waiting: 1, delayed: 0 });
    });

    it('settle failed records the error, the finish time and the attempt', async () => {
      const name = h.name();
      const [id] = await h.addRaw(name, [{}]);
      const { token } = await h.reserveOne(name);
      const error = { name: 'TypeError', message: 'bad', stack: 'TypeError: bad\n    at y' };
      const r = await h.backend.jobs.settle(name, [{ jobId: id!, token, kind: 'failed', error }]);
      expect(r.results).toEqual(['ok']);
      const failed = (await h.backend.admin.get(name, id!))!;
      expect(failed).toMatchObject({ state: 'failed', attemptsMade: 1, error });
      expect(failed.finishedAt).toBeGreaterThanOrEqual(failed.startedAt!);
      expect(failed.leaseExpiresAt).toBeUndefined();
      expect(await h.backend.admin.counts(name)).toMatchObject({ active: 0, failed: 1 });
    });

    it('settle released hands the job back to the head of waiting without counting an attempt', async () => {
      const name = h.name();
      const [a, b] = await h.addRaw(name, [{}, {}]);
      const first = await h.reserveOne(name);
      expect(first.job.id).toBe(a);
      const r = await h.backend.jobs.settle(name, [
        { jobId: a!, token: first.token, kind: 'released' },
      ]);
      expect(r.results).toEqual(['ok']);
      const back = (await h.backend.admin.get(name, a!))!;
      expect(back).toMatchObject({ state: 'waiting', attemptsStarted: 0, attemptsMade: 0 });
      expect(back.leaseExpiresAt).toBeUndefined();
      // As if never leased: the previous startedAt (none) is restored.
      expect(back.startedAt).toBeUndefined();
      expect((await h.reserveOne(name)).job.id).toBe(a);
      expect((await h.reserveOne(name)).job.id).toBe(b);
    });

    it('settle with next reserves for the worker in the same call', async () => {
      const name = h.name();
      const [a, b, c] = await h.addRaw(name, [{}, {}, {}]);
      const first = await h.reserveOne(name);
      const r = await h.backend.jobs.settle(
        name,
        [{ jobId: a!, token: first.token, kind: 'completed' }],
        { workerId: 'conf-w2', max: 2, leaseMs: 60_000 },
      );
      expect(r.results).toEqual(['ok']);
      expect(r.next?.jobs.map((j) => j.job.id)).toEqual([b, c]);
      expect(
        r.next?.jobs.every((j) => j.job.state === 'active' && j.job.workerId === 'conf-w2'),
      ).toBe(true);
      expect(await h.backend.admin.counts(name)).toMatchObject({ active: 2, completed: 1 });
    });
  });

  describe('through a Worker', () => {
    it('a job runs waiting → active → completed with its result recorded', async () => {
      const q = h.queue<{ a: number; b: number }>();
      const seen: string[] = [];
      const w = h.worker<{ a: number; b: number }, { sum: number }>(q.name, async (job) => {
        seen.push(`run:${job.state}:${job.attemptsStarted}`);
        return { sum: job.data.a + job.data.b };
      });
      w.on('active', (job) => seen.push(`active:${job.id}`));
      w.on('completed', (job, result) => seen.push(`completed:${job.id}:${result.sum}`));
      const { id } = await q.add('sum', { a: 2, b: 3 });
      const job = await waitForState(q, id, 'completed', env.patienceMs);
      expect(job.returnValue).toEqual({ sum: 5 });
      expect(job.attemptsMade).toBe(1);
      expect(job.attemptsStarted).toBe(1);
      expect(job.startedAt).toBeGreaterThanOrEqual(job.createdAt);
      expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt!);
      expect(job.workerId === undefined || job.workerId === w.id).toBe(true);
      await waitFor(() => seen.length === 3, env.patienceMs, 'local completed event');
      expect(seen).toEqual([`active:${id}`, 'run:active:1', `completed:${id}:5`]);
      expect(await q.getCounts()).toMatchObject({ waiting: 0, active: 0, completed: 1 });
    });

    it('a failing job is retried until its attempts run out, then failed with error and stack', async () => {
      const q = h.queue();
      const retrying: number[] = [];
      const w = h.worker(q.name, async (job) => {
        throw new Error(`boom ${job.attemptsMade}`);
      });
      w.on('retrying', (job) => retrying.push(job.attemptsMade));
      const { id } = await q.add('flaky', null, { attempts: 3 });
      const job = await waitForState(q, id, 'failed', env.patienceMs);
      expect(job.attemptsMade).toBe(3);
      expect(job.attemptsStarted).toBe(3);
      expect(job.error?.name).toBe('Error');
      expect(job.error?.message).toBe('boom 2');
      expect(job.failedReason).toBe('boom 2');
      expect(job.error?.stack).toContain('boom 2');
      expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt!);
      expect(retrying).toEqual([0, 1]);
      expect(await q.getCounts()).toMatchObject({ failed: 1, waiting: 0, delayed: 0, active: 0 });
    });

    it('a job that fails and then succeeds completes with every attempt counted', async () => {
      const q = h.queue();
      h.worker(q.name, async (job) => {
        if (job.attemptsMade < 2) throw new Error('not yet');
        return 'finally';
      });
      const { id } = await q.add('eventually', null, { attempts: 5 });
      const job = await waitForState(q, id, 'completed', env.patienceMs);
      expect(job.returnValue).toBe('finally');
      expect(job.attemptsMade).toBe(3);
      expect(job.attemptsStarted).toBe(3);
    });
  });
}

function rawOpts(attempts: number) {
  return { attempts, removeOnComplete: false, removeOnFail: false };
}
