import { CancelledError } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { finishNext } from '../support/settle.js';
import { waitFor, waitForState } from '../support/wait-for.js';

/**
 * `queue.cancelJob`: a waiting or delayed job fails at once with a CancelledError; an
 * active job is flagged, its holder learns it at the next lease renewal, the processor's
 * signal aborts and the job fails without retry.
 */
export function cancellation(env: SuiteEnv): void {
  const h = useHarness(env, 'cancellation');

  it('cancelling a waiting or delayed job fails it at once with CancelledError', async () => {
    const q = h.queue();
    const waiting = await q.add('a', null, { attempts: 3 });
    const delayed = await q.add('b', null, { delay: 60_000 });
    expect(await q.cancelJob(waiting.id)).toBe('cancelled');
    expect(await q.cancelJob(delayed.id)).toBe('cancelled');
    for (const id of [waiting.id, delayed.id]) {
      const job = (await q.getJob(id))!;
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ name: 'CancelledError', message: 'cancelled' });
      expect(job.finishedAt).toBeGreaterThan(0);
    }
    expect(await q.getCounts()).toMatchObject({ waiting: 0, delayed: 0, failed: 2 });
    expect(await h.reserve(q.name)).toEqual([]);
  });

  it('a finished or unknown job is not cancellable', async () => {
    const q = h.queue();
    await q.add('a', null);
    const done = await finishNext(h.backend, q.name, 'completed');
    expect(await q.cancelJob(done)).toBe('not-cancellable');
    expect(await q.cancelJob('conf-missing')).toBe('not-cancellable');
    expect((await q.getJob(done))!.state).toBe('completed');
  });

  it('cancelling an active job flags it: extend reports cancelled to the holder', async () => {
    const q = h.queue();
    const { id } = await q.add('a', null);
    const lease = await h.reserveOne(q.name);
    expect(await q.cancelJob(id)).toBe('signalled');
    const job = (await q.getJob(id))!;
    expect(job.state).toBe('active');
    expect(job.record.cancelRequested).toBe(true);
    const ref = { jobId: id, token: lease.token };
    expect(await h.backend.jobs.extend(q.name, [ref], 60_000)).toEqual(['cancelled']);
    expect(await h.backend.jobs.extend(q.name, [{ ...ref, token: 'stale' }], 60_000)).toEqual([
      'lost',
    ]);
    const r = await h.backend.jobs.settle(q.name, [
      { ...ref, kind: 'failed', error: { name: 'CancelledError', message: 'cancelled' } },
    ]);
    expect(r.results).toEqual(['ok']);
  });

  it('a cancel request survives a stall recovery: the next holder learns it', async () => {
    const q = h.queue();
    const { id } = await q.add('a', null);
    await h.reserveOne(q.name, { leaseMs: env.shortLeaseMs });
    expect(await q.cancelJob(id)).toBe('signalled');
    await waitFor(
      async () =>
        (await h.backend.jobs.recoverExpired(q.name, { maxStalls: 5, limit: 10 })).recovered
          .length > 0,
      env.patienceMs,
      'the expired lease recovered',
    );
    const next = await h.reserveOne(q.name);
    expect(await h.backend.jobs.extend(q.name, [{ jobId: id, token: next.token }], 60_000)).toEqual(
      ['cancelled'],
    );
  });

  it("cancelling a running job aborts the processor's signal within a lease renewal, no retry", async () => {
    const q = h.queue();
    const gate = h.gate();
    let started = 0;
    let abortedAt = 0;
    let reason: unknown;
    h.worker(q.name, async (_job, { signal }) => {
      started = Date.now();
      signal.addEventListener(
        'abort',
        () => {
          abortedAt = Date.now();
          reason = signal.reason;
        },
        { once: true },
      );
      await gate.promise;
    });
    const { id } = await q.add('long', null, { attempts: 3 });
    await waitFor(() => started > 0, env.patienceMs, 'the job started');
    const cancelledAt = Date.now();
    expect(await q.cancelJob(id)).toBe('signalled');
    await waitFor(() => abortedAt > 0, env.patienceMs, "the processor's signal aborted");
    // Renewals run every leaseMs / 2.
    expect(abortedAt - cancelledAt).toBeLessThanOrEqual(env.wakeBound(env.timing.leaseMs / 2));
    expect(reason).toBeInstanceOf(CancelledError);
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.error?.name).toBe('CancelledError');
    expect(job.attemptsMade).toBe(1);
    expect(job.attemptsStarted).toBe(1);
  });

  it('QueueEvents sees the cancellation', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    const { id } = await q.add('a', null);
    await q.cancelJob(id);
    await waitFor(() => log.types(id).includes('cancelled'), env.patienceMs, 'cancelled event');
    expect(log.types(id)).toEqual(['added', 'cancelled']);
  });
}
