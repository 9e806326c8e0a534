import { BackendTimeoutError, Queue, Worker } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { Hangable } from '../support/hangable.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';

/**
 * What must not let one job or one stuck connection stop a worker: an error's class
 * never hands a lease back, a busy worker yields to the event loop, and a backend that
 * stops answering is reported and cannot hold `close()`.
 */
export function resilience(env: SuiteEnv): void {
  const h = useHarness(env, 'resilience');

  it('a processor that throws ClosedError fails the attempt: retried per attempts, then failed', async () => {
    const q = h.queue();
    const closedQueue = new Queue(h.name(), { backend: h.backend });
    await closedQueue.close();
    let runs = 0;
    h.worker(q.name, async () => {
      runs++;
      await closedQueue.add('x', null);
    });
    const { id } = await q.add('job', null, { attempts: 2 });
    await waitFor(async () => (await q.getJob(id))?.state === 'failed', env.patienceMs, 'failed');
    const job = await q.getJob(id);
    expect(job?.attemptsMade).toBe(2);
    expect(job?.error?.name).toBe('ClosedError');
    await sleep(env.wakeBound());
    expect(runs).toBe(2);
  });

  it('a worker draining a busy queue lets timers run (bounded time per event-loop turn)', async () => {
    const q = h.queue();
    // As many jobs as the backend adds in 300 ms, at most 100,000: enough to keep a
    // worker on the memory backend busy for over a second, few enough to clean up fast.
    const addUntil = Date.now() + 300;
    for (let n = 0; n < 100_000 && Date.now() < addUntil; n += 1000)
      await q.addBulk(
        Array.from({ length: 1000 }, () => ({ name: 'j', data: null, opts: { attempts: 2 } })),
      );
    // The main thread's CPU time between two ticks is what the worker kept the event loop
    // busy for; wall time would also count the other processes of a loaded machine
    // (descheduled, this thread uses no CPU). Wall time still bounds a hang. Node < 23.9
    // has no per-thread figure: the process's, which GC threads add to, stands in.
    const usage =
      (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process) ??
      (() => process.cpuUsage());
    const cpuMs = () => {
      const u = usage();
      return (u.user + u.system) / 1000;
    };
    let last = performance.now();
    let lastCpu = cpuMs();
    let maxGap = 0;
    let maxBusy = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      const cpu = cpuMs();
      maxGap = Math.max(maxGap, now - last);
      maxBusy = Math.max(maxBusy, cpu - lastCpu);
      last = now;
      lastCpu = cpu;
    }, 10);
    const failedOnce = new Set<string>();
    // Each job fails once and is retried at once, then completes: both paths are busy.
    h.worker(
      q.name,
      async (job) => {
        if (failedOnce.has(job.id)) return;
        failedOnce.add(job.id);
        throw new Error('retry at once');
      },
      { concurrency: 50, events: false },
    );
    await sleep(1500);
    clearInterval(ticker);
    expect(failedOnce.size).toBeGreaterThan(0);
    expect(maxBusy).toBeLessThan(100 + env.timing.slackMs);
    expect(maxGap).toBeLessThan(1000 + env.timing.slackMs);
  });

  it('a backend that stops answering is reported, and close() returns by its timeout; no job is lost', async () => {
    const q = h.queue();
    const hang = new Hangable(h.backend);
    const gate = h.gate();
    const errors: unknown[] = [];
    let started = 0;
    const w = new Worker(
      q.name,
      async () => {
        started++;
        await gate.promise;
      },
      {
        backend: hang.backend,
        concurrency: 2,
        leaseMs: env.timing.leaseMs,
        callTimeoutMs: 200,
        stalledIntervalMs: 0,
        heartbeatIntervalMs: 50,
        idleWaitMs: 100,
      },
    );
    w.on('error', (err) => errors.push(err));
    const added = await q.addBulk(Array.from({ length: 3 }, (_, i) => ({ name: 'j', data: i })));
    await waitFor(() => started === 2, env.patienceMs, 'two jobs started');
    hang.hang();
    gate.open();
    await waitFor(
      () => errors.some((e) => e instanceof BackendTimeoutError),
      env.patienceMs,
      'a BackendTimeoutError',
    );
    const timeout = errors.find((e) => e instanceof BackendTimeoutError) as BackendTimeoutError;
    expect(timeout.backend).toBe(h.backend.name);
    expect(timeout.message).toContain(h.backend.name);
    const before = hang.held.length;
    await sleep(1000);
    // Backing off: at most a few calls per second against a backend that does not answer.
    expect(hang.held.length - before).toBeLessThan(12);
    const t0 = Date.now();
    await w.close({ timeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(300 + 2000 + env.timing.slackMs);

    // The store never saw the settles: the leases expire and recovery runs the jobs again.
    hang.resume();
    h.worker(q.name, async () => 'ok', { stalledIntervalMs: 2 * env.timing.tickMs });
    await waitFor(
      async () => (await q.getCounts()).completed === added.length,
      env.patienceMs,
      'every job completed',
    );
  });
}
