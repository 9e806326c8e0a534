import { UnsupportedError } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { caught } from '../support/expect-errors.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';

/**
 * Queue-global rate limit and concurrency, enforced by `reserve` across every worker —
 * only where the backend declares `globalRateLimit` / `globalConcurrency`; elsewhere the
 * Queue refuses to set them.
 */
export function globalLimits(env: SuiteEnv): void {
  const h = useHarness(env, 'global-limits');
  const window = () => Math.max(100, 8 * env.timing.tickMs);

  it('without globalRateLimit, setGlobalRateLimit throws UnsupportedError', async (ctx) => {
    ctx.skip(env.capabilities.globalRateLimit, 'backend declares globalRateLimit');
    const q = h.queue();
    expect(await caught(() => q.setGlobalRateLimit({ max: 1, duration: 1000 }))).toBeInstanceOf(
      UnsupportedError,
    );
  });

  it('without globalConcurrency, setGlobalConcurrency throws UnsupportedError', async (ctx) => {
    ctx.skip(env.capabilities.globalConcurrency, 'backend declares globalConcurrency');
    const q = h.queue();
    expect(await caught(() => q.setGlobalConcurrency(2))).toBeInstanceOf(UnsupportedError);
  });

  it('a global rate limit grants at most max per window and reports limitedForMs', async (ctx) => {
    // Needs capability `globalRateLimit`.
    ctx.skip(!env.capabilities.globalRateLimit, 'backend does not declare globalRateLimit');
    const q = h.queue();
    await q.addBulk(Array.from({ length: 7 }, (_, i) => ({ name: 'job', data: i })));
    await q.setGlobalRateLimit({ max: 3, duration: window() });
    const first = await h.backend.jobs.reserve(q.name, {
      workerId: 'a',
      max: 10,
      leaseMs: 60_000,
    });
    expect(first.jobs).toHaveLength(3);
    const held = await h.backend.jobs.reserve(q.name, { workerId: 'b', max: 10, leaseMs: 60_000 });
    // Windows may be aligned to the clock: the second call can land in a new window.
    let granted = 3 + held.jobs.length;
    if (held.jobs.length === 0) {
      expect(held.limitedForMs).toBeGreaterThan(0);
      expect(held.limitedForMs).toBeLessThanOrEqual(window());
      await sleep(held.limitedForMs! + env.timing.tickMs);
      const next = await h.backend.jobs.reserve(q.name, {
        workerId: 'b',
        max: 10,
        leaseMs: 60_000,
      });
      expect(next.jobs).toHaveLength(3);
      granted += 3;
    } else {
      expect(held.jobs).toHaveLength(3);
    }
    await q.setGlobalRateLimit(null);
    expect(await h.reserve(q.name, { max: 10 })).toHaveLength(7 - granted);
  });

  it('a global concurrency caps active jobs across workers', async (ctx) => {
    // Needs capability `globalConcurrency`.
    ctx.skip(!env.capabilities.globalConcurrency, 'backend does not declare globalConcurrency');
    const q = h.queue();
    await q.setGlobalConcurrency(2);
    await q.addBulk(Array.from({ length: 8 }, (_, i) => ({ name: 'job', data: i })));
    const direct = await h.backend.jobs.reserve(q.name, { workerId: 'x', max: 5, leaseMs: 60_000 });
    expect(direct.jobs).toHaveLength(2);
    const more = await h.backend.jobs.reserve(q.name, { workerId: 'y', max: 5, leaseMs: 60_000 });
    expect(more.jobs).toHaveLength(0);
    expect(more.limitedForMs).toBeGreaterThan(0);
    await h.backend.jobs.settle(
      q.name,
      direct.jobs.map((j) => ({ jobId: j.job.id, token: j.token, kind: 'released' as const })),
    );

    const gate = h.gate();
    let running = 0;
    let peak = 0;
    const processor = async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    };
    h.worker(q.name, processor, { concurrency: 5 });
    h.worker(q.name, processor, { concurrency: 5 });
    await waitFor(() => running === 2, env.patienceMs, 'two jobs running');
    await sleep(env.wakeBound());
    expect(running).toBe(2);
    expect((await q.getCounts()).active).toBe(2);
    gate.open();
    await waitFor(
      async () => (await q.getCounts()).completed === 8,
      env.patienceMs,
      'all eight jobs completed',
    );
    expect(peak).toBe(2);
  });
}
