import { type Backend, nextTick } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { issuePaths } from '../support/expect-errors.js';
import { useHarness } from '../support/harness.js';
import { rawJob } from '../support/raw-jobs.js';
import { skipWithoutAtomicUpdates } from '../support/atomicity.js';

const MINUTE = 60_000;

function fire(backend: Backend, queue: string, id: string, expectedRunAt: number) {
  return backend.schedules.fire(queue, id, {
    expectedRunAt,
    nextRunAt: expectedRunAt + MINUTE,
    firedAt: Date.now(),
    job: rawJob({ name: 'tick' }),
  });
}

/**
 * Durable schedules: validated on upsert, stored with their next run, updated by id,
 * listed, removed, paused; and `fire`, the compare-and-set that makes a tick fire once.
 */
export function repeatableStorage(env: SuiteEnv): void {
  const h = useHarness(env, 'repeatable-storage');

  it('upsertRepeatable rejects a bad cron or time zone and stores nothing', async () => {
    const q = h.queue();
    const tpl = { name: 'digest' };
    expect(
      await issuePaths(() => q.upsertRepeatable('s', { cron: 'every morning' }, tpl)),
    ).toContain('/repeat/cron');
    expect(await issuePaths(() => q.upsertRepeatable('s', { cron: '61 * * * *' }, tpl))).toContain(
      '/repeat/cron',
    );
    expect(
      await issuePaths(() =>
        q.upsertRepeatable('s', { cron: '0 8 * * *', tz: 'Mars/Olympus' }, tpl),
      ),
    ).toContain('/repeat/tz');
    expect(await issuePaths(() => q.upsertRepeatable('s', { every: 0 }, tpl))).toContain(
      '/repeat/every',
    );
    expect(
      await issuePaths(() => q.upsertRepeatable('s', { cron: '0 8 * * *', every: MINUTE }, tpl)),
    ).toContain('/repeat');
    expect(await q.listRepeatables()).toEqual([]);
    expect(await h.backend.schedules.get(q.name, 's')).toBeNull();
  });

  it('upsertRepeatable stores a cron schedule with its time zone, template and next run', async () => {
    const q = h.queue();
    const spec = { cron: '0 8 * * *', tz: 'Europe/Paris' };
    const before = Date.now();
    const rec = await q.upsertRepeatable('digest', spec, {
      name: 'digest',
      data: { to: 'team' },
      opts: { priority: 4, attempts: 3 },
    });
    const expected = nextTick(spec, before);
    expect(rec.nextRunAt).toBeGreaterThanOrEqual(expected!);
    expect(rec.nextRunAt! - expected!).toBeLessThan(24 * 3600_000);
    const stored = (await h.backend.schedules.get(q.name, 'digest'))!;
    expect(stored).toMatchObject({
      id: 'digest',
      queue: q.name,
      spec,
      paused: false,
      nextRunAt: rec.nextRunAt,
      runCount: 0,
    });
    expect(stored.template).toMatchObject({ name: 'digest', priority: 4 });
    expect(JSON.parse(stored.template.payload)).toEqual({ to: 'team' });
    expect(stored.template.opts.attempts).toBe(3);
    expect(await q.listRepeatables()).toEqual([stored]);
  });

  it('an every-N schedule stores its next aligned tick', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('minutely', { every: MINUTE }, { name: 'tick' });
    expect(rec.nextRunAt! % MINUTE).toBe(0);
    expect(rec.nextRunAt!).toBeGreaterThan(Date.now() - env.timing.slackMs);
    expect((await h.backend.schedules.get(q.name, 'minutely'))!.nextRunAt).toBe(rec.nextRunAt);
  });

  it('upsert by id updates the definition and keeps createdAt, runCount and last run', async () => {
    const q = h.queue();
    const first = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'a', data: 1 });
    expect((await fire(h.backend, q.name, 's', first.nextRunAt!)).status).toBe('fired');
    const second = await q.upsertRepeatable('s', { every: 2 * MINUTE }, { name: 'b', data: 2 });
    const list = await q.listRepeatables();
    expect(list).toHaveLength(1);
    const stored = list[0]!;
    expect(stored.spec).toEqual({ every: 2 * MINUTE });
    expect(stored.template.name).toBe('b');
    expect(JSON.parse(stored.template.payload)).toBe(2);
    expect(stored.createdAt).toBe(first.createdAt);
    expect(stored.runCount).toBe(1);
    expect(stored.lastRunAt).toBe(first.nextRunAt);
    expect(stored.nextRunAt).toBe(second.nextRunAt);
    expect(stored.nextRunAt! % (2 * MINUTE)).toBe(0);
  });

  it('upsert with the same spec in another key order keeps the planned tick', async () => {
    const q = h.queue();
    const startDate = Date.now() - 10 * MINUTE;
    const first = await q.upsertRepeatable('s', { every: MINUTE, startDate }, { name: 'tick' });
    // Move the plan off the spec's next tick, so a replan would show.
    const planned = first.nextRunAt! + 5 * MINUTE;
    const r = await h.backend.schedules.fire(q.name, 's', {
      expectedRunAt: first.nextRunAt!,
      nextRunAt: planned,
      firedAt: Date.now(),
      job: null,
    });
    expect(r.status).toBe('fired');
    const again = await q.upsertRepeatable('s', { startDate, every: MINUTE }, { name: 'tick' });
    expect(again.nextRunAt).toBe(planned);
    expect((await h.backend.schedules.get(q.name, 's'))!.nextRunAt).toBe(planned);
    // A real change still replans.
    const changed = await q.upsertRepeatable(
      's',
      { startDate, every: 2 * MINUTE },
      { name: 'tick' },
    );
    expect(changed.nextRunAt).not.toBe(planned);
  });

  it('an upsert raced by a fire keeps the fired tick (no tick fires twice)', async () => {
    // Three schedulers registering one code-owned schedule: B read the schedule (or found
    // none) before A's fire, and writes after it. Its stale nextRunAt must not undo the
    // fire, or the same tick would fire again.
    const q = h.queue();
    const first = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    const stale = (await h.backend.schedules.get(q.name, 's'))!;
    const r = await h.backend.schedules.fire(q.name, 's', {
      expectedRunAt: first.nextRunAt!,
      nextRunAt: first.nextRunAt! + MINUTE,
      firedAt: Date.now(),
      job: rawJob({ name: 'tick' }),
    });
    expect(r.status).toBe('fired');
    // The same definition, its keys in another order, as the racing writer built it.
    await h.backend.schedules.upsert({ ...stale, spec: { every: MINUTE } });
    const after = (await h.backend.schedules.get(q.name, 's'))!;
    expect(after.nextRunAt).toBe(first.nextRunAt! + MINUTE);
    expect(after.runCount).toBe(1);
    expect((await fire(h.backend, q.name, 's', first.nextRunAt!)).status).toBe('stale');
    // A writer that saw the fire may still move the plan (operators, tests).
    await h.backend.schedules.upsert({ ...after, nextRunAt: first.nextRunAt! + 3 * MINUTE });
    expect((await h.backend.schedules.get(q.name, 's'))!.nextRunAt).toBe(
      first.nextRunAt! + 3 * MINUTE,
    );
  });

  it('removeRepeatable removes a schedule once; schedules of other queues stay', async () => {
    const q = h.queue();
    const other = h.queue();
    await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    await other.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    expect(await q.removeRepeatable('s')).toBe(true);
    expect(await q.removeRepeatable('s')).toBe(false);
    expect(await q.listRepeatables()).toEqual([]);
    expect(await other.listRepeatables()).toHaveLength(1);
  });

  it('a paused schedule is stored paused and does not fire', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    expect(await q.setRepeatablePaused('s', true)).toBe(true);
    expect((await h.backend.schedules.get(q.name, 's'))!.paused).toBe(true);
    expect(await fire(h.backend, q.name, 's', rec.nextRunAt!)).toEqual({ status: 'stale' });
    expect((await q.getCounts()).waiting).toBe(0);
    // An upsert at the next deploy keeps the pause.
    await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    expect((await h.backend.schedules.get(q.name, 's'))!.paused).toBe(true);
    expect(await q.setRepeatablePaused('s', false)).toBe(true);
    expect((await fire(h.backend, q.name, 's', rec.nextRunAt!)).status).toBe('fired');
    expect(await q.setRepeatablePaused('missing', true)).toBe(false);
  });

  it('fire adds the job and advances the schedule; a stale tick writes nothing', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    const tick = rec.nextRunAt!;
    const firedAt = Date.now();
    const r = await h.backend.schedules.fire(q.name, 's', {
      expectedRunAt: tick,
      nextRunAt: tick + MINUTE,
      firedAt,
      job: rawJob({ name: 'tick', payload: '{"n":1}' }),
    });
    expect(r.status).toBe('fired');
    const jobId = r.status === 'fired' ? r.jobId : '';
    const job = (await q.getJob(jobId))!;
    expect(job).toMatchObject({ name: 'tick', state: 'waiting' });
    expect(job.data).toEqual({ n: 1 });
    expect(await h.backend.schedules.get(q.name, 's')).toMatchObject({
      nextRunAt: tick + MINUTE,
      lastRunAt: tick,
      lastFiredAt: firedAt,
      runCount: 1,
    });
    expect(await fire(h.backend, q.name, 's', tick)).toEqual({ status: 'stale' });
    expect(await fire(h.backend, q.name, 'missing', tick)).toEqual({ status: 'stale' });
    expect((await q.getCounts()).waiting).toBe(1);
    expect((await h.backend.schedules.get(q.name, 's'))!.runCount).toBe(1);
  });

  it('fire with job null skips the tick: only nextRunAt moves', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    const tick = rec.nextRunAt!;
    const r = await h.backend.schedules.fire(q.name, 's', {
      expectedRunAt: tick,
      nextRunAt: tick + MINUTE,
      firedAt: Date.now(),
      job: null,
    });
    expect(r).toEqual({ status: 'fired', jobId: '' });
    const stored = (await h.backend.schedules.get(q.name, 's'))!;
    expect(stored.nextRunAt).toBe(tick + MINUTE);
    expect(stored.runCount).toBe(0);
    expect(stored.lastRunAt).toBeUndefined();
    expect(stored.lastFiredAt).toBeUndefined();
    expect(await q.getCounts()).toMatchObject({ waiting: 0, delayed: 0 });
    expect(await fire(h.backend, q.name, 's', tick)).toEqual({ status: 'stale' });
  });

  it('fire keeps the largest drift and the count of late ticks until the drift is reset', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    let tick = rec.nextRunAt!;
    const step = async (drift: number, fires: boolean) => {
      const r = await h.backend.schedules.fire(q.name, 's', {
        expectedRunAt: tick,
        nextRunAt: tick + MINUTE,
        firedAt: tick + drift,
        job: fires ? rawJob({ name: 'tick' }) : null,
        lateAfterMs: 500,
      });
      expect(r.status).toBe('fired');
      tick += MINUTE;
    };
    const stored = async () => (await h.backend.schedules.get(q.name, 's'))!;
    expect((await stored()).lateTicks ?? 0).toBe(0);
    expect((await stored()).maxDriftMs).toBeUndefined();
    // A 572 ms late tick, then a 72 ms one: the last drift alone would hide the first.
    await step(572, true);
    await step(72, true);
    let s = await stored();
    expect(s.lastFiredAt! - s.lastRunAt!).toBe(72);
    expect(s).toMatchObject({ maxDriftMs: 572, lateTicks: 1 });
    // A tick skipped as missed counts too; drift over lateAfterMs makes it late.
    await step(900, false);
    expect(await stored()).toMatchObject({ maxDriftMs: 900, lateTicks: 2 });
    // Redeploying the definition keeps the figures.
    await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    expect(await stored()).toMatchObject({ maxDriftMs: 900, lateTicks: 2 });
    const before = Date.now();
    expect(await q.resetRepeatableDrift('s')).toBe(true);
    s = await stored();
    expect(s.maxDriftMs).toBeUndefined();
    expect(s.lateTicks).toBe(0);
    expect(s.driftSince).toBeGreaterThanOrEqual(before);
    await step(10, true);
    expect((await q.listRepeatables())[0]).toMatchObject({ maxDriftMs: 10, lateTicks: 0 });
    expect(await q.resetRepeatableDrift('missing')).toBe(false);
  });

  it('fire honours the job id of the tick', async () => {
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    await q.add('tick', null, { jobId: 'tick-1' });
    const r = await h.backend.schedules.fire(q.name, 's', {
      expectedRunAt: rec.nextRunAt!,
      nextRunAt: rec.nextRunAt! + MINUTE,
      firedAt: Date.now(),
      job: rawJob({ id: 'tick-1', name: 'tick' }),
    });
    expect(r.status).toBe('fired');
    expect((await q.getCounts()).waiting).toBe(1);
  });

  it('20 concurrent fires of one tick: exactly one fires', async (ctx) => {
    // Needs `atomicUpdates`: racing writers on one record.
    skipWithoutAtomicUpdates(env, ctx);
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => fire(h.backend, q.name, 's', rec.nextRunAt!)),
    );
    expect(results.filter((r) => r.status === 'fired')).toHaveLength(1);
    expect((await q.getCounts()).waiting).toBe(1);
    expect((await h.backend.schedules.get(q.name, 's'))!.runCount).toBe(1);
  });

  it('fires from two backend instances: exactly one fires (distributedSchedules)', async (ctx) => {
    // Needs capability `distributedSchedules`: without it fire is a compare-and-set within one process only.
    ctx.skip(
      !env.capabilities.distributedSchedules,
      'backend does not declare distributedSchedules',
    );
    const other = await env.createBackend();
    const q = h.queue();
    const rec = await q.upsertRepeatable('s', { every: MINUTE }, { name: 'tick' });
    // Both instances must see one store, or each "process" would fire its own copy.
    expect((await other.schedules.get(q.name, 's'))?.nextRunAt).toBe(rec.nextRunAt);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fire(i % 2 === 0 ? h.backend : other, q.name, 's', rec.nextRunAt!),
      ),
    );
    expect(results.filter((r) => r.status === 'fired')).toHaveLength(1);
    expect((await q.getCounts()).waiting).toBe(1);
  });
}
