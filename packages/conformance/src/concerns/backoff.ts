import type { BackoffStrategy, JobOptions } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { type Harness, useHarness } from '../support/harness.js';
import { waitFor, waitForState } from '../support/wait-for.js';

const BASE = 10_000;

/**
 * Runs a job that always fails with `backoff` for `retries` retries and returns the delay
 * each retry was given: the stored `runAt` minus the moment the processor threw. Each
 * retry is promoted at once, so long delays cost no time.
 */
async function observeDelays(
  h: Harness,
  backoff: JobOptions['backoff'],
  retries: number,
  strategies?: Record<string, BackoffStrategy>,
): Promise<number[]> {
  const q = h.queue();
  const thrownAt: number[] = [];
  h.worker(
    q.name,
    async (job) => {
      thrownAt[job.attemptsMade] = Date.now();
      throw new Error('boom');
    },
    strategies ? { backoffStrategies: strategies } : {},
  );
  const { id } = await q.add('retry-me', null, { attempts: retries + 1, backoff });
  const delays: number[] = [];
  for (let i = 0; i < retries; i++) {
    const job = await waitFor(
      async () => {
        const j = await q.getJob(id);
        return j?.state === 'delayed' && j.attemptsMade === i + 1 ? j : null;
      },
      h.env.patienceMs,
      `job ${id} delayed after attempt ${i + 1}`,
    );
    delays.push(job.runAt - thrownAt[i]!);
    expect(await q.promoteJobs({ ids: [id] })).toEqual([id]);
  }
  const failed = await waitForState(q, id, 'failed', h.env.patienceMs);
  expect(failed.attemptsMade).toBe(retries + 1);
  return delays;
}

/** Each backoff kind gives the computed delay, recorded as the retried job's runAt. */
export function backoff(env: SuiteEnv): void {
  const h = useHarness(env, 'backoff');
  const tol = () => env.timing.slackMs;

  function expectNear(actual: number[], expected: number[]): void {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((d, i) => {
      expect(d, `delay of retry ${i + 1}`).toBeGreaterThanOrEqual(expected[i]!);
      expect(d, `delay of retry ${i + 1}`).toBeLessThanOrEqual(expected[i]! + tol());
    });
  }

  it('fixed: every retry waits the same delay', async () => {
    expectNear(await observeDelays(h, { type: 'fixed', delay: BASE }, 2), [BASE, BASE]);
  });

  it('a number is a fixed delay', async () => {
    expectNear(await observeDelays(h, BASE, 2), [BASE, BASE]);
  });

  it('fixed with jitter stays between delay × (1 - jitter) and delay', async () => {
    const delays = await observeDelays(h, { type: 'fixed', delay: BASE, jitter: 0.5 }, 2);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(BASE / 2);
      expect(d).toBeLessThanOrEqual(BASE + tol());
    }
  });

  it('exponential: delay × 2^(attempt - 1)', async () => {
    expectNear(await observeDelays(h, { type: 'exponential', delay: BASE }, 3), [
      BASE,
      2 * BASE,
      4 * BASE,
    ]);
  });

  it('exponential with maxDelay is capped', async () => {
    expectNear(
      await observeDelays(h, { type: 'exponential', delay: BASE, maxDelay: 2 * BASE }, 3),
      [BASE, 2 * BASE, 2 * BASE],
    );
  });

  it('custom: a strategy registered on the worker computes the delay', async () => {
    const calls: [number, string, number | undefined][] = [];
    const strategies: Record<string, BackoffStrategy> = {
      linear: (attemptsMade, error, delay) => {
        calls.push([attemptsMade, error.message, delay]);
        return attemptsMade * (delay ?? 0) + 7;
      },
    };
    const delays = await observeDelays(
      h,
      { type: 'custom', name: 'linear', delay: BASE },
      2,
      strategies,
    );
    expectNear(delays, [BASE + 7, 2 * BASE + 7]);
    expect(calls).toEqual([
      [1, 'boom', BASE],
      [2, 'boom', BASE],
    ]);
  });

  it('custom: a strategy the worker does not know fails the job without retry', async () => {
    const q = h.queue();
    h.worker(q.name, async () => {
      throw new Error('boom');
    });
    const { id } = await q.add('retry-me', null, {
      attempts: 5,
      backoff: { type: 'custom', name: 'nowhere' },
    });
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.attemptsMade).toBe(1);
    expect(job.error?.name).toBe('UnknownBackoffError');
    expect(job.error?.message).toContain('nowhere');
  });

  it('no backoff retries at once', async () => {
    const q = h.queue();
    const starts: number[] = [];
    h.worker(q.name, async () => {
      starts.push(Date.now());
      throw new Error('boom');
    });
    const { id } = await q.add('retry-me', null, { attempts: 3 });
    await waitFor(
      async () => (await q.getJob(id))?.state === 'failed',
      env.patienceMs,
      `job ${id} failed`,
    );
    expect(starts).toHaveLength(3);
    expect(starts[2]! - starts[0]!).toBeLessThanOrEqual(2 * env.wakeBound());
  });
}
