import type { ActiveJob, LeaseRef, Settlement } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { type Harness, useHarness } from '../support/harness.js';
import { waitFor } from '../support/wait-for.js';

const ERROR = { name: 'Error', message: 'stale' };

function everyKind(lease: LeaseRef): Settlement[] {
  return [
    { ...lease, kind: 'completed', result: '"stale"' },
    { ...lease, kind: 'retry', runAt: Date.now(), error: ERROR },
    { ...lease, kind: 'failed', error: ERROR },
    { ...lease, kind: 'released' },
  ];
}

/** Waits until the job's short lease expired and `recoverExpired` took it back. */
async function recover(h: Harness, name: string, id: string): Promise<void> {
  await waitFor(
    async () => {
      const r = await h.backend.jobs.recoverExpired(name, { maxStalls: 100, limit: 100 });
      return r.recovered.includes(id);
    },
    h.env.patienceMs,
    `recoverExpired to recover job ${id}`,
  );
}

/**
 * Every transition of an active job carries its lease token: once the lease ended or was
 * granted again, the old holder can neither settle, extend, report progress nor log.
 */
export function fencing(env: SuiteEnv): void {
  const h = useHarness(env, 'fencing');

  it('a stale lease cannot settle or extend once the job was recovered and leased again', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const stale = await h.reserveOne(name, { leaseMs: env.shortLeaseMs, workerId: 'conf-old' });
    await recover(h, name, id!);
    const fresh = await h.reserveOne(name, { workerId: 'conf-new' });
    expect(fresh.job.id).toBe(id);
    expect(fresh.token).not.toBe(stale.token);
    const old = { jobId: id!, token: stale.token };

    expect(await h.backend.jobs.extend(name, [old], 60_000)).toEqual(['lost']);
    for (const outcome of everyKind(old)) {
      const r = await h.backend.jobs.settle(name, [outcome]);
      expect(r.results, `settle ${outcome.kind} with the stale token`).toEqual(['lost']);
    }
    const job = (await h.backend.admin.get(name, id!))!;
    expect(job).toMatchObject({ state: 'active', workerId: 'conf-new', attemptsMade: 0 });
    expect(job.leaseExpiresAt).toBe(fresh.job.leaseExpiresAt);
    expect(job.result).toBeUndefined();

    const done = await h.backend.jobs.settle(name, [
      { jobId: id!, token: fresh.token, kind: 'completed' },
    ]);
    expect(done.results).toEqual(['ok']);
  });

  it('an expired lease stops working as soon as it is recovered, before any re-grant', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const stale = await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    await recover(h, name, id!);
    const old = { jobId: id!, token: stale.token };
    expect(await h.backend.jobs.extend(name, [old], 60_000)).toEqual(['lost']);
    const r = await h.backend.jobs.settle(name, [{ ...old, kind: 'completed' }]);
    expect(r.results).toEqual(['lost']);
    expect((await h.backend.admin.get(name, id!))!.state).toBe('waiting');
  });

  it('a settled lease cannot settle or extend again', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const { token } = await h.reserveOne(name);
    const lease = { jobId: id!, token };
    expect((await h.backend.jobs.settle(name, [{ ...lease, kind: 'completed' }])).results).toEqual([
      'ok',
    ]);
    for (const outcome of everyKind(lease)) {
      const r = await h.backend.jobs.settle(name, [outcome]);
      expect(r.results, `second settle ${outcome.kind}`).toEqual(['lost']);
    }
    expect(await h.backend.jobs.extend(name, [lease], 60_000)).toEqual(['lost']);
    expect(await h.backend.admin.get(name, id!)).toMatchObject({
      state: 'completed',
      attemptsMade: 1,
    });
  });

  it('extend renews a held lease from now', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const { job, token } = await h.reserveOne(name, { leaseMs: 1_000 });
    const r = await h.backend.jobs.extend(name, [{ jobId: id!, token }], 60_000);
    expect(r).toEqual(['extended']);
    const after = (await h.backend.admin.get(name, id!))!;
    expect(after.leaseExpiresAt!).toBeGreaterThanOrEqual(job.leaseExpiresAt! + 50_000);
    expect(after.state).toBe('active');
  });

  it('an unknown job or a wrong token is lost and writes nothing', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    await h.reserveOne(name);
    const wrong = { jobId: id!, token: 'not-the-token' };
    const unknown = { jobId: 'conf-no-such-job', token: 'x' };
    expect(await h.backend.jobs.extend(name, [wrong, unknown], 60_000)).toEqual(['lost', 'lost']);
    const r = await h.backend.jobs.settle(name, [
      { ...wrong, kind: 'completed' },
      { ...unknown, kind: 'failed', error: ERROR },
    ]);
    expect(r.results).toEqual(['lost', 'lost']);
    expect(await h.backend.admin.counts(name)).toMatchObject({
      active: 1,
      completed: 0,
      failed: 0,
    });
  });

  it('a batch settles each outcome by its own fence, in order', async () => {
    const name = h.name();
    const [a, b, c] = await h.addRaw(name, [{}, {}, {}]);
    const leases = await h.reserve(name, { max: 3 });
    expect(leases.map((l) => l.job.id)).toEqual([a, b, c]);
    const r = await h.backend.jobs.settle(name, [
      { jobId: a!, token: leases[0]!.token, kind: 'completed' },
      { jobId: b!, token: 'wrong', kind: 'completed' },
      { jobId: c!, token: leases[2]!.token, kind: 'failed', error: ERROR },
    ]);
    expect(r.results).toEqual(['ok', 'lost', 'ok']);
    expect(await h.backend.admin.counts(name)).toMatchObject({
      active: 1,
      completed: 1,
      failed: 1,
    });
  });

  it('progress and log lines are written only under the current lease', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const stale = await h.reserveOne(name, { leaseMs: env.shortLeaseMs });
    expect(await h.backend.admin.setProgress(name, id!, stale.token, '10')).toBe(true);
    expect(await h.backend.admin.addLog(name, id!, stale.token, 'first', 100)).toBe(true);
    await recover(h, name, id!);
    const fresh = await h.reserveOne(name);
    expect(await h.backend.admin.setProgress(name, id!, stale.token, '99')).toBe(false);
    expect(await h.backend.admin.addLog(name, id!, stale.token, 'stale', 100)).toBe(false);
    expect((await h.backend.admin.get(name, id!))!.progress).not.toBe('99');
    expect(await h.backend.admin.setProgress(name, id!, fresh.token, '{"pct":50}')).toBe(true);
    expect(await h.backend.admin.addLog(name, id!, fresh.token, 'second', 100)).toBe(true);
    expect((await h.backend.admin.get(name, id!))!.progress).toBe('{"pct":50}');
    expect(await h.backend.admin.getLogs(name, id!, 0, 100)).toEqual(['first', 'second']);
  });

  it('addLog keeps the last `keep` lines and getLogs pages oldest first', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{}]);
    const { token } = await h.reserveOne(name);
    for (const line of ['l1', 'l2', 'l3', 'l4', 'l5']) {
      expect(await h.backend.admin.addLog(name, id!, token, line, 3)).toBe(true);
    }
    expect(await h.backend.admin.getLogs(name, id!, 0, 100)).toEqual(['l3', 'l4', 'l5']);
    expect(await h.backend.admin.getLogs(name, id!, 1, 1)).toEqual(['l4']);
    expect(await h.backend.admin.getLogs(name, id!, 5, 10)).toEqual([]);
  });

  it('job.updateProgress and job.log work during the attempt and return false after it', async () => {
    const q = h.queue();
    const held: ActiveJob[] = [];
    const during: boolean[] = [];
    h.worker(q.name, async (job) => {
      held.push(job);
      during.push(await job.updateProgress({ pct: 50 }));
      during.push(await job.log('step 1'));
      return 'ok';
    });
    const { id } = await q.add('report', null);
    await waitFor(
      async () => (await q.getJob(id))?.state === 'completed',
      env.patienceMs,
      `job ${id} completed`,
    );
    expect(during).toEqual([true, true]);
    expect(held).toHaveLength(1);
    expect(await held[0]!.updateProgress({ pct: 99 })).toBe(false);
    expect(await held[0]!.log('too late')).toBe(false);
    expect((await q.getJob(id))!.progress).toEqual({ pct: 50 });
    expect(await q.getJobLogs(id)).toEqual(['step 1']);
  });
}
