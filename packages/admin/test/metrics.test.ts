import { Queue, Worker } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest, call, type Served, serveAdmin, TOKENS, until } from './harness.js';

/** The sample of `name` with exactly `labels`, from a text exposition; undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((x) => x.startsWith(`${name}{${l}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe.each(backendsUnderTest().filter((b) => b.name !== 'memory'))(
  'GET /api/metrics on $name',
  (under) => {
    if (under.skip !== undefined) {
      it.skip(`needs the service: ${under.skip}`, () => {});
      return;
    }
    let served: Served;
    let queue: Queue;

    beforeAll(async () => {
      const backend = await under.create();
      served = await serveAdmin({ backends: { main: backend } });
      queue = new Queue('mq1', { backend });
      // Known workload: 2 complete, 1 fails, 3 stay waiting, 1 delayed, a schedule.
      await queue.addBulk([
        { name: 'ok', data: {} },
        { name: 'ok', data: {} },
        { name: 'bad', data: {}, opts: { attempts: 1 } },
      ]);
      const w = new Worker(
        'mq1',
        async (job) => {
          if (job.name === 'bad') throw new Error('nope');
          return 1;
        },
        { backend, heartbeatIntervalMs: 100 },
      );
      await until(async () => {
        const c = await queue.getCounts();
        return c.completed === 2 && c.failed === 1;
      });
      await w.close();
      await queue.addBulk([1, 2, 3].map(() => ({ name: 'later', data: {} })));
      await queue.add('d', {}, { delay: 3_600_000 });
      await queue.upsertRepeatable('tick', { every: 60_000 }, { name: 'tick', data: {} });
    }, 30_000);

    afterAll(async () => {
      await queue?.close();
      await served?.close();
      await under.cleanup();
    });

    it('needs a token, then serves the gauges of the known workload', async () => {
      const anon = await fetch(`${served.url}/api/metrics`);
      expect(anon.status).toBe(401);
      const res = await fetch(`${served.url}/api/metrics`, {
        headers: { authorization: `Bearer ${TOKENS.viewer}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const text = await res.text();
      expect(text).toContain('# TYPE mq_queue_jobs gauge');
      const q = { backend: 'main', queue: 'mq1' };
      expect(
        ['waiting', 'delayed', 'active', 'completed', 'failed'].map((state) =>
          sample(text, 'mq_queue_jobs', { ...q, state }),
        ),
      ).toEqual([3, 1, 0, 2, 1]);
      expect(sample(text, 'mq_queue_paused', q)).toBe(0);
      expect(sample(text, 'mq_workers', q)).toBe(0);
      expect(sample(text, 'mq_queue_oldest_job_age_seconds', q)).toBeGreaterThan(0);
      expect(sample(text, 'mq_schedule_next_run_drift_seconds', { ...q, schedule: 'tick' })).toBe(
        0,
      );
      // The audit queue is not a user queue.
      expect(text).not.toContain('__mq.audit');
    });

    it('counts audited actions by outcome and reflects a pause', async () => {
      await call(served.url, 'POST', '/api/backends/main/queues/mq1/pause', {
        as: 'operator',
        body: { reason: 'metrics test' },
      });
      await call(served.url, 'POST', '/api/backends/main/queues/mq1/obliterate', {
        as: 'operator',
        body: { reason: 'not allowed', confirm: 'mq1' },
      });
      // The snapshot is cached 200 ms in the harness: wait for the next one.
      await until(async () => {
        const r = await call(served.url, 'GET', '/api/metrics', { as: 'viewer' });
        return sample(r.body, 'mq_queue_paused', { backend: 'main', queue: 'mq1' }) === 1;
      });
      const text = (await call(served.url, 'GET', '/api/metrics', { as: 'viewer' })).body as string;
      expect(sample(text, 'mq_admin_actions_total', { action: 'queue.pause', outcome: 'ok' })).toBe(
        1,
      );
      expect(
        sample(text, 'mq_admin_actions_total', {
          action: 'queue.obliterate',
          outcome: 'forbidden',
        }),
      ).toBe(1);
    });
  },
);
