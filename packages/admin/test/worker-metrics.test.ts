import { Queue, Worker } from '@mq/core';
import { afterAll, describe, expect, it } from 'vitest';
import { collectMetrics, createOperations, createWorkerMetrics } from '../src/index.js';
import { backendsUnderTest, until } from './harness.js';

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(backendsUnderTest().filter((b) => b.name !== 'postgres'))(
  'worker-side metrics on $name',
  (under) => {
    if (under.skip !== undefined) {
      it.skip(`needs the service: ${under.skip}`, () => {});
      return;
    }
    afterAll(() => under.cleanup());

    it('counts completions, retries, final failures and times attempts, names bounded', async () => {
      const backend = await under.create();
      const metrics = createWorkerMetrics({ maxNames: 2, buckets: [0.05, 60] });
      const queue = new Queue<{ n: number }>('wm', { backend });
      // Known workload: 3 `ok` complete; one `bad` fails twice (1 retry, then final);
      // one `extra` completes but is the third name, so it counts as _other.
      await queue.addBulk([
        ...[1, 2, 3].map((n) => ({ name: 'ok', data: { n } })),
        {
          name: 'bad',
          data: { n: 0 },
          opts: { attempts: 2, backoff: { type: 'fixed', delay: 10 } },
        },
      ]);
      const worker = new Worker<{ n: number }, string>(
        'wm',
        async (job) => {
          if (job.name === 'bad') throw new Error('always');
          return 'done';
        },
        { backend, concurrency: 2, heartbeatIntervalMs: 100 },
      );
      const detach = metrics.observe(worker);
      await until(async () => {
        const c = await queue.getCounts();
        return c.completed === 3 && c.failed === 1;
      });
      await queue.add('extra', { n: 9 });
      await until(async () => (await queue.getCounts()).completed === 4);
      detach();
      await worker.close();
      const ops = createOperations({ backend });
      const text = await collectMetrics(ops, { workers: metrics });
      await ops.close();
      await queue.close();
      expect(value(text, 'mq_jobs_completed_total{queue="wm",name="ok"}')).toBe(3);
      expect(value(text, 'mq_jobs_completed_total{queue="wm",name="_other"}')).toBe(1);
      expect(value(text, 'mq_jobs_failed_total{queue="wm",name="bad",final="false"}')).toBe(1);
      expect(value(text, 'mq_jobs_failed_total{queue="wm",name="bad",final="true"}')).toBe(1);
      expect(value(text, 'mq_jobs_retried_total{queue="wm",name="bad"}')).toBe(1);
      // One run observation per attempt (3 + 2 + 1), one wait observation per start.
      expect(value(text, 'mq_job_run_seconds_count{queue="wm",name="ok"}')).toBe(3);
      expect(value(text, 'mq_job_run_seconds_count{queue="wm",name="bad"}')).toBe(2);
      expect(value(text, 'mq_job_wait_seconds_count{queue="wm",name="bad"}')).toBe(2);
      expect(value(text, 'mq_job_run_seconds_bucket{queue="wm",name="ok",le="60"}')).toBe(3);
      expect(value(text, 'mq_job_run_seconds_bucket{queue="wm",name="ok",le="+Inf"}')).toBe(3);
      expect(text).toContain('# TYPE mq_job_run_seconds histogram');
      // The gauges come first in the same scrape.
      expect(value(text, 'mq_queue_jobs{backend="default",queue="wm",state="completed"}')).toBe(4);
    });
  },
);
