import {
  type Backend,
  type NewJob,
  RETRY_TIME_ERROR_NAME,
  type ScheduleRecord,
  type Settlement,
  ValidationError,
} from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { rawJob } from '../support/raw-jobs.js';

const HUGE_TIMES = [1e19, Number.MAX_SAFE_INTEGER * 1000, 1e300, Number.POSITIVE_INFINITY];

/**
 * Values at and past what stores can hold, reaching the backend through the contract
 * (core's schemas refuse most of them; third-party callers may not). A backend call
 * applies all of its writes or none, and one job's value fails that job alone — never
 * the batch it travels with, and never halfway.
 */
export function storageLimits(env: SuiteEnv): void {
  const h = useHarness(env, 'storage-limits');
  const b = (): Backend => h.backend;

  async function counts(queue: string) {
    return b().admin.counts(queue);
  }

  it('a retry time no store can hold fails that job alone; the rest of its settle batch applies', async () => {
    const queue = h.name();
    await h.addRaw(
      queue,
      Array.from({ length: 7 }, () => ({ opts: { ...rawJob().opts, attempts: 3 } })),
    );
    const leases = await h.reserve(queue, { max: 7 });
    expect(leases).toHaveLength(7);
    const error = { name: 'Error', message: 'boom', stack: 'Error: boom\n    at here' };
    const ref = (i: number) => ({ jobId: leases[i]!.job.id, token: leases[i]!.token });
    const soon = Date.now() + 60_000;
    const outcomes: Settlement[] = [
      { ...ref(0), kind: 'completed', result: '"a"' },
      ...HUGE_TIMES.map((runAt, k): Settlement => ({ ...ref(k + 1), kind: 'retry', runAt, error })),
      { ...ref(5), kind: 'retry', runAt: soon, error },
      { ...ref(6), kind: 'completed' },
    ];
    const r = await b().jobs.settle(queue, outcomes);
    expect(r.results).toEqual(outcomes.map(() => 'ok'));
    expect(await counts(queue)).toEqual({
      waiting: 0,
      delayed: 1,
      active: 0,
      completed: 2,
      failed: HUGE_TIMES.length,
    });
    for (let k = 1; k <= HUGE_TIMES.length; k++) {
      const job = (await b().admin.get(queue, ref(k).jobId))!;
      expect(job.state).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.error?.name).toBe(RETRY_TIME_ERROR_NAME);
      // It says why, and keeps what the attempt itself failed with.
      expect(job.error?.message).toContain('retry time');
      expect(job.error?.message).toContain('Error: boom');
      expect(job.error?.stack).toBe(error.stack);
    }
    expect((await b().admin.get(queue, ref(5).jobId))!.runAt).toBe(soon);
    expect((await b().admin.get(queue, ref(0).jobId))!.result).toBe('"a"');
    // Nothing is stuck: the queue leases nothing more, and holds no active job.
    expect(await h.reserve(queue, { max: 7 })).toEqual([]);
  });

  it('a dedup ttl past any store is written whole, and other adds of the same call and tick are unaffected', async () => {
    const queue = h.name();
    const huge = { id: 'k-huge', ttl: 1e300 };
    // One call mixing the huge ttl with plain jobs, and other callers in the same tick
    // (backends may merge them into one statement or script call).
    const [mixed, other, alone] = await Promise.all([
      b().jobs.add(queue, [
        rawJob({ name: 'before' }),
        rawJob({ name: 'huge', id: 'job-huge', dedup: huge }),
        rawJob({ name: 'after' }),
      ]),
      b().jobs.add(queue, [rawJob({ name: 'other' })]),
      b().jobs.add(queue, [
        rawJob({ name: 'ttl', dedup: { id: 'k-19', ttl: 1e19, extend: true } }),
      ]),
    ]);
    for (const r of [...mixed!, ...other!, ...alone!]) expect(r.status).toBe('added');
    expect(mixed![1]).toEqual({ status: 'added', id: 'job-huge' });
    expect(await counts(queue)).toMatchObject({ waiting: 5, delayed: 0, active: 0 });
    const job = (await b().admin.get(queue, 'job-huge'))!;
    expect(job).toMatchObject({ state: 'waiting', name: 'huge', dedupId: 'k-huge' });
    expect(await b().admin.getDedupOwner(queue, 'k-huge')).toBe('job-huge');
    // The key throttles (it outlives its owner) and the jobId answers as the job's.
    const again = await b().jobs.add(queue, [
      rawJob({ dedup: huge }),
      rawJob({ id: 'job-huge' }),
      rawJob({ dedup: { id: 'k-19', ttl: 1e19, extend: true } }),
    ]);
    expect(again.map((r) => r.status)).toEqual(['deduplicated', 'duplicate', 'deduplicated']);
    // Every job is in the order it lists, so it runs.
    const leased = await h.reserve(queue, { max: 10 });
    expect(leased.map((l) => l.job.name).sort()).toEqual(
      ['after', 'before', 'huge', 'other', 'ttl'].sort(),
    );
  });

  it('retention ages and counts past any store keep the jobs, and the settle batch reports every one ok', async () => {
    const queue = h.name();
    const opts = (over: Partial<NewJob['opts']>) => ({ ...rawJob().opts, ...over });
    const policies: NewJob['opts'][] = [
      opts({ removeOnComplete: { age: 1e300 }, removeOnFail: { age: 1e300 } }),
      opts({ removeOnComplete: { count: 1e300 }, removeOnFail: { count: 2 ** 40 } }),
      opts({ removeOnComplete: { age: 1e19, count: 2 ** 31 }, removeOnFail: { age: 1e19 } }),
      opts({ removeOnComplete: 2 ** 31, removeOnFail: 1e300 }),
    ];
    const jobs = [...policies, ...policies].map((o) => ({ opts: o }));
    await h.addRaw(queue, jobs);
    const leases = await h.reserve(queue, { max: jobs.length });
    expect(leases).toHaveLength(jobs.length);
    const outcomes = leases.map(
      (l, i): Settlement =>
        i % 2 === 0
          ? { jobId: l.job.id, token: l.token, kind: 'completed', result: String(i) }
          : { jobId: l.job.id, token: l.token, kind: 'failed', error: { name: 'E', message: 'x' } },
    );
    const r = await b().jobs.settle(queue, outcomes);
    expect(r.results).toEqual(outcomes.map(() => 'ok'));
    const half = jobs.length / 2;
    expect(await counts(queue)).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: half,
      failed: half,
    });
    // The policies read back as given.
    const first = (await b().admin.get(queue, leases[0]!.job.id))!;
    expect(first.opts).toEqual(leases[0]!.job.opts);
  });

  it('a NUL in a job name, jobId or dedup id is stored intact or refused with a ValidationError; other callers are unaffected', async () => {
    const queue = h.name();
    const cases: NewJob[] = [
      rawJob({ name: 'na\u0000me' }),
      rawJob({ id: 'id-\u0000' }),
      rawJob({ dedup: { id: 'dd-\u0000' } }),
    ];
    const calls = cases.map((j) =>
      b()
        .jobs.add(queue, [j])
        .then(
          (r) => ({ ok: r }),
          (err: unknown) => ({ err }),
        ),
    );
    const innocent = b().jobs.add(queue, [rawJob({ name: 'innocent' })]);
    const outcomes = await Promise.all(calls);
    expect((await innocent)[0]!.status).toBe('added');
    let stored = 1;
    for (const [i, o] of outcomes.entries()) {
      if ('err' in o) {
        expect(o.err).toBeInstanceOf(ValidationError);
        continue;
      }
      expect(o.ok[0]!.status).toBe('added');
      stored++;
      const job = (await b().admin.get(queue, o.ok[0]!.id))!;
      expect(job.name).toBe(cases[i]!.name);
      if (cases[i]!.dedup) expect(job.dedupId).toBe(cases[i]!.dedup!.id);
    }
    // A refused job left nothing behind.
    expect((await counts(queue)).waiting).toBe(stored);
  });

  it('a NUL in a schedule id is stored intact or refused with a ValidationError', async () => {
    const queue = h.name();
    const now = Date.now();
    const record: ScheduleRecord = {
      id: 'sch-\u0000',
      queue,
      spec: { every: 60_000 },
      template: { name: 'tick', payload: 'null', priority: 0, lifo: false, opts: rawJob().opts },
      paused: false,
      nextRunAt: now + 60_000,
      runCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    const err = await b()
      .schedules.upsert(record)
      .then(
        () => null,
        (e: unknown) => e,
      );
    if (err === null) {
      expect((await b().schedules.get(queue, record.id))?.id).toBe(record.id);
      await b().schedules.remove(queue, record.id);
    } else {
      expect(err).toBeInstanceOf(ValidationError);
      expect(await b().schedules.list(queue)).toEqual([]);
    }
  });
}
