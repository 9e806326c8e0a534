import { TimeoutError } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { waitForState } from '../support/wait-for.js';

/**
 * A job's `timeout` is hard: the processor's signal aborts with a TimeoutError, the
 * attempt ends even if the processor ignores it, and it is retried per `attempts`.
 */
export function timeout(env: SuiteEnv): void {
  const h = useHarness(env, 'timeout');
  const limit = () => Math.max(20, 4 * env.timing.tickMs);

  it('an attempt past its timeout fails with TimeoutError and aborts the processor signal', async () => {
    const q = h.queue();
    const gate = h.gate();
    const reasons: unknown[] = [];
    h.worker(q.name, async (_job, { signal }) => {
      signal.addEventListener('abort', () => reasons.push(signal.reason), { once: true });
      await gate.promise;
    });
    const { id } = await q.add('slow', null, { timeout: limit() });
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.error?.name).toBe('TimeoutError');
    expect(job.attemptsMade).toBe(1);
    expect(job.finishedAt! - job.startedAt!).toBeGreaterThanOrEqual(limit() - env.timing.tickMs);
    expect(job.finishedAt! - job.startedAt!).toBeLessThanOrEqual(env.wakeBound(limit()));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(TimeoutError);
  });

  it('a timed-out attempt is retried per attempts', async () => {
    const q = h.queue();
    const gate = h.gate();
    const retryErrors: Error[] = [];
    const w = h.worker(q.name, async (job) => {
      if (job.attemptsMade === 0) await gate.promise;
      return 'second time';
    });
    w.on('retrying', (_job, err) => retryErrors.push(err));
    const { id } = await q.add('slow-once', null, { timeout: limit(), attempts: 2 });
    const job = await waitForState(q, id, 'completed', env.patienceMs);
    expect(job.returnValue).toBe('second time');
    expect(job.attemptsMade).toBe(2);
    expect(retryErrors).toHaveLength(1);
    expect(retryErrors[0]).toBeInstanceOf(TimeoutError);
  });

  it('a job within its timeout completes normally', async () => {
    const q = h.queue();
    h.worker(q.name, async () => 'quick');
    const { id } = await q.add('quick', null, { timeout: 10 * limit() });
    const job = await waitForState(q, id, 'completed', env.patienceMs);
    expect(job.returnValue).toBe('quick');
  });
}
