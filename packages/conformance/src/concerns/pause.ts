import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';

/** A paused queue grants no leases; running jobs finish; resume wakes idle workers. */
export function pause(env: SuiteEnv): void {
  const h = useHarness(env, 'pause');

  it('a paused queue grants no leases until resumed', async () => {
    const q = h.queue();
    expect(await q.isPaused()).toBe(false);
    await q.add('a', null);
    await q.pause();
    expect(await q.isPaused()).toBe(true);
    await q.add('b', null);
    expect(await h.reserve(q.name, { max: 10 })).toEqual([]);
    expect(await q.getCounts()).toMatchObject({ waiting: 2, active: 0 });
    await q.resume();
    expect(await q.isPaused()).toBe(false);
    expect(await h.reserve(q.name, { max: 10 })).toHaveLength(2);
  });

  it('pause holds back due delayed jobs too', async () => {
    const q = h.queue();
    const delay = 2 * env.timing.tickMs;
    await q.add('later', null, { delay });
    await q.pause();
    await sleep(delay + env.timing.tickMs);
    expect(await h.reserve(q.name)).toEqual([]);
    await q.resume();
    expect(await h.reserve(q.name)).toHaveLength(1);
  });

  it('pause is per queue', async () => {
    const paused = h.queue();
    const other = h.queue();
    await paused.add('a', null);
    await other.add('a', null);
    await paused.pause();
    expect(await other.isPaused()).toBe(false);
    expect(await h.reserve(other.name)).toHaveLength(1);
    expect(await h.reserve(paused.name)).toEqual([]);
  });

  it('running jobs finish while paused; waiting ones start only after resume', async () => {
    const q = h.queue();
    const gate = h.gate();
    const started: string[] = [];
    h.worker(
      q.name,
      async (job) => {
        started.push(job.name);
        if (job.name === 'running') await gate.promise;
      },
      { concurrency: 2 },
    );
    const running = await q.add('running', null);
    await waitFor(() => started.includes('running'), env.patienceMs, 'the first job started');
    await q.pause();
    const held = await q.add('held', null);
    gate.open();
    await waitFor(
      async () => (await q.getJob(running.id))?.state === 'completed',
      env.patienceMs,
      'the running job completed while paused',
    );
    // A few wake-up windows: the worker must not start the held job while paused.
    await sleep(env.wakeBound());
    expect(started).toEqual(['running']);
    expect((await q.getJob(held.id))!.state).toBe('waiting');
    await q.resume();
    await waitFor(
      async () => (await q.getJob(held.id))?.state === 'completed',
      env.patienceMs,
      'the held job completed after resume',
    );
  });

  it('resume wakes an idle worker at once', async () => {
    const q = h.queue();
    await q.pause();
    const started: number[] = [];
    // A long idle wait: only the backend's wake-up on resume can start the job in time.
    h.worker(q.name, async () => started.push(Date.now()), { idleWaitMs: 60_000 });
    await q.add('a', null);
    await sleep(2 * env.timing.tickMs);
    expect(started).toEqual([]);
    const resumedAt = Date.now();
    await q.resume();
    await waitFor(() => started.length === 1, env.patienceMs, 'the job started after resume');
    expect(started[0]! - resumedAt).toBeLessThanOrEqual(env.wakeBound());
  });
}
