import type { Backend, RepeatSpec } from '@mq/core';
import { Queue } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from './support/names.js';
import { sleep, waitFor } from './support/wait-for.js';

/** What the scheduler suite needs of a scheduler: the shape of `@mq/scheduler`'s class. */
export interface SchedulerUnderTest {
  start(): Promise<void>;
  close(): Promise<void>;
  on(event: 'fired', listener: (queue: string, count: number) => void): unknown;
  addRepeatable(
    queue: string,
    id: string,
    spec: RepeatSpec,
    template: { name: string; data?: unknown },
  ): unknown;
}

/** Options of {@link runSchedulerConformance}. */
export interface SchedulerConformanceOptions {
  name: string;
  /** A fresh Backend on the same store (closed by the suite). */
  createBackend: () => Backend | Promise<Backend>;
  /** Builds a scheduler serving `queues` (the scheduler package passes its class). */
  createScheduler: (
    backend: Backend,
    opts: {
      queues: string[];
      missedTicks?: 'skip' | 'catch-up';
      stalledIntervalMs?: number;
      /** Retention sweep period; the sweep is off when absent. */
      retentionIntervalMs?: number;
    },
  ) => SchedulerUnderTest;
  /** How long the exactly-once run lasts, in ms. Default 10,000 (the acceptance run). */
  exactlyOnceMs?: number;
}

/**
 * The scheduler concern: N schedulers fire each tick of a schedule exactly once, with no
 * gap, and missed ticks follow the policy. On backends without `distributedSchedules`
 * the schedulers share one backend instance (one process); otherwise each has its own.
 */
export function runSchedulerConformance(opts: SchedulerConformanceOptions): void {
  describe(`${opts.name} › scheduler`, () => {
    const backends: Backend[] = [];
    let main: Backend;
    const make = async () => {
      const b = await opts.createBackend();
      await b.ready();
      backends.push(b);
      return b;
    };
    // One backend per scheduler where the backend claims cross-process compare-and-set.
    const schedulerBackend = async () => (main.capabilities.distributedSchedules ? make() : main);

    beforeAll(async () => {
      main = await make();
    });
    afterAll(async () => {
      for (const b of backends) await b.close();
    });

    async function runSchedulers(
      queue: string,
      n: number,
      setup?: (s: SchedulerUnderTest) => void,
    ) {
      const fired: number[] = [];
      const schedulers: SchedulerUnderTest[] = [];
      for (let i = 0; i < n; i++) {
        const s = opts.createScheduler(await schedulerBackend(), { queues: [queue] });
        fired.push(0);
        s.on('fired', (_q, count) => {
          fired[i] = (fired[i] ?? 0) + count;
        });
        setup?.(s);
        schedulers.push(s);
      }
      await Promise.all(schedulers.map((s) => s.start()));
      return { fired, close: () => Promise.all(schedulers.map((s) => s.close())) };
    }

    function plannedTicks(ids: string[], scheduleId: string): number[] {
      const prefix = `repeat:${scheduleId}:`;
      return ids
        .filter((id) => id.startsWith(prefix))
        .map((id) => Number(id.slice(prefix.length)))
        .sort((a, b) => a - b);
    }

    async function jobIds(queue: Queue): Promise<string[]> {
      const jobs = await queue.getJobs('waiting', { limit: 10_000 });
      return jobs.map((j) => j.id);
    }

    it('3 schedulers × a 100 ms schedule: every tick fires exactly once, with no gap', async () => {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      const every = 100;
      await queue.upsertRepeatable('tick', { every }, { name: 'tick', data: {} });
      const run = await runSchedulers(name, 3);
      const duration = opts.exactlyOnceMs ?? 10_000;
      await sleep(duration);
      await run.close();
      const ticks = plannedTicks(await jobIds(queue), 'tick');
      const totalFired = run.fired.reduce((a, b) => a + b, 0);
      // Each fire the schedulers report is a successful compare-and-set: a double fire
      // would count twice here while adding one job (the tick id is the same).
      expect(totalFired).toBe(ticks.length);
      expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(duration / every) - 2);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(every);
      const [schedule] = await queue.listRepeatables();
      expect(schedule?.runCount).toBe(ticks.length);
      expect(schedule?.lastFiredAt).toBeGreaterThanOrEqual(schedule?.lastRunAt ?? 0);
    }, 60_000);

    it('a code-owned repeatable registered by 3 schedulers fires once per tick', async () => {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      const run = await runSchedulers(name, 3, (s) =>
        s.addRepeatable(name, 'code', { every: 100 }, { name: 'code', data: { v: 1 } }),
      );
      await sleep(1000);
      await run.close();
      const ticks = plannedTicks(await jobIds(queue), 'code');
      expect(run.fired.reduce((a, b) => a + b, 0)).toBe(ticks.length);
      expect(ticks.length).toBeGreaterThanOrEqual(7);
    }, 30_000);

    async function missedSetup(policy: 'skip' | 'catch-up') {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      const rec = await queue.upsertRepeatable('m', { every: 200 }, { name: 'm' });
      // Simulate downtime: the planned tick lies ten periods in the past.
      const past = (rec.nextRunAt ?? Date.now()) - 2000;
      await main.schedules.upsert({ ...rec, nextRunAt: past });
      const s = opts.createScheduler(main, { queues: [name], missedTicks: policy });
      const startedAt = Date.now();
      await s.start();
      await sleep(100);
      await s.close();
      const [after] = await queue.listRepeatables();
      return { queue, after, startedAt, past };
    }

    it('missed ticks after downtime: skip (default) fires none and plans the next tick ahead', async () => {
      const { queue, after, startedAt } = await missedSetup('skip');
      const ticks = plannedTicks(await jobIds(queue), 'm');
      // Ticks planned after the restart may fire during the test; missed ones must not.
      expect(ticks.filter((t) => t < startedAt)).toEqual([]);
      expect(after?.nextRunAt).toBeGreaterThanOrEqual(startedAt);
      expect(after?.runCount).toBe(ticks.length);
    });

    it('missed ticks after downtime: catch-up fires exactly once, then plans ahead', async () => {
      const { queue, after, startedAt, past } = await missedSetup('catch-up');
      const ticks = plannedTicks(await jobIds(queue), 'm');
      expect(ticks.filter((t) => t < startedAt)).toEqual([past]);
      expect(after?.nextRunAt).toBeGreaterThanOrEqual(startedAt);
      expect(after?.runCount).toBe(ticks.length);
    });

    it('honours limit, paused schedules and immediately', async () => {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      await queue.upsertRepeatable('limited', { every: 50, limit: 3 }, { name: 'l' });
      await queue.upsertRepeatable('paused', { every: 50 }, { name: 'p' });
      await queue.setRepeatablePaused('paused', true);
      await queue.upsertRepeatable('now', { every: 3_600_000, immediately: true }, { name: 'n' });
      const run = await runSchedulers(name, 1);
      await waitFor(
        async () => plannedTicks(await jobIds(queue), 'limited').length === 3,
        3000,
        '3 ticks',
      );
      await waitFor(
        async () => plannedTicks(await jobIds(queue), 'now').length === 1,
        3000,
        'immediate tick',
      );
      await sleep(300);
      await run.close();
      const ids = await jobIds(queue);
      expect(plannedTicks(ids, 'limited')).toHaveLength(3);
      expect(plannedTicks(ids, 'paused')).toHaveLength(0);
      expect(plannedTicks(ids, 'now')).toHaveLength(1);
      const limited = (await queue.listRepeatables()).find((s) => s.id === 'limited');
      expect(limited?.nextRunAt).toBeNull();
    });

    it("the retention sweep applies each job's own policy and never removes what a job keeps", async () => {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      const month = 30 * 86_400_000;
      const gone = await queue.add('gone', {}, { removeOnComplete: { age: 100 } });
      const kept = await queue.add('kept', {}, { removeOnComplete: false });
      const young = await queue.add('young', {}, { removeOnFail: { age: month } });
      const { jobs } = await main.jobs.reserve(name, { workerId: 'w', max: 3, leaseMs: 60_000 });
      expect(jobs).toHaveLength(3);
      await main.jobs.settle(
        name,
        jobs.map(({ job, token }) =>
          job.name === 'young'
            ? { jobId: job.id, token, kind: 'failed' as const, error: { name: 'E', message: 'x' } }
            : { jobId: job.id, token, kind: 'completed' as const },
        ),
      );
      // Quiet from here on: no settle applies the 100 ms age, only the sweep can.
      const s = opts.createScheduler(main, { queues: [name], retentionIntervalMs: 50 });
      await s.start();
      try {
        await waitFor(
          async () => (await queue.getJob(gone.id)) === null,
          3000,
          'swept by its own age',
        );
        await sleep(200);
      } finally {
        await s.close();
      }
      expect((await queue.getJob(kept.id))?.state).toBe('completed');
      expect((await queue.getJob(young.id))?.state).toBe('failed');
    });

    it('recovers stalled jobs of its queues', async () => {
      const name = uniqueName('scheduler');
      const queue = new Queue(name, { backend: main, events: false });
      await queue.add('s', {});
      const { jobs } = await main.jobs.reserve(name, { workerId: 'crashed', max: 1, leaseMs: 50 });
      expect(jobs).toHaveLength(1);
      const s = opts.createScheduler(main, { queues: [name], stalledIntervalMs: 50 });
      await s.start();
      await waitFor(
        async () => (await queue.getCounts()).waiting === 1,
        3000,
        'stalled job back to waiting',
      );
      await s.close();
      const job = await queue.getJob(jobs[0]!.job.id);
      expect(job?.stalls).toBe(1);
    });
  });
}
