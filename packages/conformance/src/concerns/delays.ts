import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor, waitForState } from '../support/wait-for.js';

/**
 * A delayed job is not reservable before its time and becomes reservable promptly after
 * it, without a scanner process: `reserve` promotes it and `waitForWork` wakes for it.
 */
export function delays(env: SuiteEnv): void {
  const h = useHarness(env, 'delays');
  const delay = () => Math.max(50, 8 * env.timing.tickMs);

  it('a delayed job is not reservable before its runAt, and reserve promotes it after', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{ delay: delay() }]);
    const { runAt } = (await h.backend.admin.get(name, id!))!;
    expect(await h.reserve(name)).toEqual([]);
    expect(await h.backend.admin.counts(name)).toMatchObject({ delayed: 1, waiting: 0 });
    const lease = await waitFor(
      async () => (await h.reserve(name))[0],
      env.wakeBound(delay()),
      'the delayed job to become reservable',
      env.timing.tickMs,
    );
    expect(lease.job.id).toBe(id);
    expect(lease.job.startedAt).toBeGreaterThanOrEqual(runAt);
    expect(await h.backend.admin.counts(name)).toMatchObject({ delayed: 0, active: 1 });
  });

  it('waitForWork wakes when the earliest delayed job is due', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [{ delay: delay() }]);
    const started = Date.now();
    const bound = env.wakeBound(delay());
    const signal = AbortSignal.timeout(10 * bound);
    let granted: string | undefined;
    // Spurious wake-ups are allowed: wait again until the job is granted.
    while (granted === undefined && Date.now() - started < bound) {
      [granted] = (await h.reserve(name)).map((l) => l.job.id);
      if (granted === undefined) {
        await h.backend.jobs.waitForWork(name, { signal, maxWaitMs: 10 * bound });
      }
    }
    expect(granted).toBe(id);
    expect(Date.now() - started).toBeLessThanOrEqual(bound);
  });

  it('waitForWork wakes when a job is added', async () => {
    const name = h.name();
    const bound = env.wakeBound();
    const waiting = h.backend.jobs.waitForWork(name, {
      signal: AbortSignal.timeout(20 * bound),
      maxWaitMs: 20 * bound,
    });
    let woke = 0;
    void waiting.then(() => {
      woke = Date.now();
    });
    await sleep(2 * env.timing.tickMs);
    const addedAt = Date.now();
    await h.addRaw(name, [{}]);
    await waitFor(() => woke > 0, 10 * bound, 'waitForWork to resolve after an add');
    expect(woke - addedAt).toBeLessThanOrEqual(bound);
  });

  it('waitForWork returns at once when a job is reservable now', async () => {
    const name = h.name();
    await h.addRaw(name, [{}]);
    const before = Date.now();
    await h.backend.jobs.waitForWork(name, {
      signal: AbortSignal.timeout(60_000),
      maxWaitMs: 60_000,
    });
    expect(Date.now() - before).toBeLessThanOrEqual(env.wakeBound());
  });

  it('waitForWork resolves at once on abort, and after maxWaitMs without work', async () => {
    const name = h.name();
    const controller = new AbortController();
    const aborted = h.backend.jobs.waitForWork(name, {
      signal: controller.signal,
      maxWaitMs: 60_000,
    });
    const abortAt = Date.now();
    controller.abort();
    await aborted;
    expect(Date.now() - abortAt).toBeLessThanOrEqual(env.wakeBound());

    const maxWaitMs = 2 * env.timing.tickMs;
    const before = Date.now();
    await h.backend.jobs.waitForWork(name, { signal: new AbortController().signal, maxWaitMs });
    expect(Date.now() - before).toBeLessThanOrEqual(env.wakeBound(maxWaitMs));
  });

  it('an idle worker starts a delayed job after its runAt, within delay + 5 ticks + slack', async () => {
    const q = h.queue();
    const started: number[] = [];
    // A long idle wait: only the backend's wake-up can start the job in time.
    h.worker(q.name, async () => started.push(Date.now()), { idleWaitMs: 60_000 });
    await sleep(2 * env.timing.tickMs);
    const addedAt = Date.now();
    const { id } = await q.add('later', null, { delay: delay() });
    const job = await waitForState(q, id, 'completed', env.patienceMs);
    expect(job.startedAt!).toBeGreaterThanOrEqual(job.runAt);
    expect(started[0]! - addedAt).toBeLessThanOrEqual(env.wakeBound(delay()));
  });

  it('a retry with a future runAt waits in delayed until then', async () => {
    const name = h.name();
    const [id] = await h.addRaw(name, [
      { opts: { attempts: 2, removeOnComplete: false, removeOnFail: false } },
    ]);
    const { token } = await h.reserveOne(name);
    const runAt = Date.now() + delay();
    await h.backend.jobs.settle(name, [
      { jobId: id!, token, kind: 'retry', runAt, error: { name: 'Error', message: 'later' } },
    ]);
    expect(await h.reserve(name)).toEqual([]);
    const lease = await waitFor(
      async () => (await h.reserve(name))[0],
      env.wakeBound(delay()),
      'the retried job to become reservable',
      env.timing.tickMs,
    );
    expect(lease.job.id).toBe(id);
    expect(lease.job.startedAt!).toBeGreaterThanOrEqual(runAt);
  });
}
