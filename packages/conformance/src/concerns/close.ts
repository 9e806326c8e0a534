import { ClosedError } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { skipWithoutAtomicUpdates } from '../support/atomicity.js';

/**
 * `worker.close()` stops claiming, lets running jobs finish within its timeout, and hands
 * back the rest: no job it reserved is lost or left active.
 */
export function close(env: SuiteEnv): void {
  const h = useHarness(env, 'close');

  it('close mid-batch loses no job: each is completed or back in waiting, none active', async (ctx) => {
    // Needs `atomicUpdates`: racing writers on one record.
    skipWithoutAtomicUpdates(env, ctx);
    const q = h.queue();
    const gate = h.gate();
    const aborted: unknown[] = [];
    let started = 0;
    const w = h.worker(
      q.name,
      async (job, { signal }) => {
        started++;
        signal.addEventListener('abort', () => aborted.push(signal.reason), { once: true });
        // Half the jobs finish quickly; the other half outlive the close timeout.
        if ((job.data as number) % 2 === 0) await sleep(env.timing.tickMs);
        else await gate.promise;
      },
      { concurrency: 10 },
    );
    const added = await q.addBulk(Array.from({ length: 30 }, (_, i) => ({ name: 'job', data: i })));
    await waitFor(() => started >= 10, env.patienceMs, 'ten jobs started');
    await w.close({ timeoutMs: 2 * env.timing.tickMs });

    const counts = await q.getCounts();
    expect(counts.active).toBe(0);
    expect(counts.failed).toBe(0);
    expect(counts.delayed).toBe(0);
    expect(counts.completed + counts.waiting).toBe(30);
    expect(counts.waiting).toBeGreaterThan(0);
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted.every((r) => r instanceof ClosedError)).toBe(true);
    for (const { id } of added) {
      const job = (await q.getJob(id))!;
      expect(['completed', 'waiting']).toContain(job.state);
      if (job.state === 'waiting') {
        expect(job.attemptsMade).toBe(0);
        expect(job.record.leaseExpiresAt).toBeUndefined();
      }
    }
    // Handed back, not stalled: another worker picks them up at once.
    gate.open();
    h.worker(q.name, async () => 'second worker', { concurrency: 10 });
    await waitFor(
      async () => (await q.getCounts()).completed === 30,
      env.patienceMs,
      'every job completed by a second worker',
    );
  });

  it('close waits for running jobs within its timeout', async () => {
    const q = h.queue();
    let started = false;
    const w = h.worker(q.name, async () => {
      started = true;
      await sleep(4 * env.timing.tickMs);
      return 'finished';
    });
    const { id } = await q.add('job', null);
    await waitFor(() => started, env.patienceMs, 'the job started');
    await w.close({ timeoutMs: env.patienceMs });
    const job = (await q.getJob(id))!;
    expect(job.state).toBe('completed');
    expect(job.returnValue).toBe('finished');
  });

  it('a closed worker claims nothing more; hooks and the closed event run once', async () => {
    const q = h.queue();
    const calls: string[] = [];
    const w = h.worker(q.name, async () => calls.push('job'), {
      onStart: () => {
        calls.push('start');
      },
      onStop: () => {
        calls.push('stop');
      },
    });
    w.on('closed', () => calls.push('closed'));
    await q.add('first', null);
    await waitFor(() => calls.includes('job'), env.patienceMs, 'the first job ran');
    expect(w.isRunning).toBe(true);
    const closing = w.close();
    expect(w.close()).toBe(closing);
    await closing;
    expect(w.isRunning).toBe(false);
    const { id } = await q.add('second', null);
    await sleep(env.wakeBound());
    expect((await q.getJob(id))!.state).toBe('waiting');
    expect(calls).toEqual(['start', 'job', 'stop', 'closed']);
  });
}
