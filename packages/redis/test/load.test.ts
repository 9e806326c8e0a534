import { Queue } from '@mq/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { deleteKeys, svc, uniquePrefix } from './helpers.js';
import { WorkerProcesses } from './workers-harness.js';

const JOBS = 20_000;
const prefix = uniquePrefix('load');

describe.skipIf(svc.skip !== undefined)('redis backend: load across processes', () => {
  afterAll(() => deleteKeys(prefix));

  it('20 workers in 4 processes complete 20,000 jobs, each exactly once, none lost', async () => {
    const url = svc.url as string;
    const procs = await WorkerProcesses.start({
      processes: 4,
      workers: 5,
      concurrency: 4,
      url,
      prefix,
      queue: 'load',
    });
    const backend = createRedisBackend({ url, prefix });
    const queue = new Queue('load', {
      backend,
      defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
    });
    try {
      const started = Date.now();
      for (let i = 0; i < JOBS; i += 1000) {
        await queue.addBulk(
          Array.from({ length: 1000 }, (_, k) => ({ name: 'n', data: { i: i + k } })),
        );
      }
      let counts = await queue.getCounts();
      while (counts.completed < JOBS && Date.now() - started < 90_000) {
        await new Promise((r) => setTimeout(r, 100));
        counts = await queue.getCounts();
      }
      expect(counts).toEqual({ waiting: 0, delayed: 0, active: 0, completed: JOBS, failed: 0 });
      const runs = await procs.stop();
      expect(runs.size).toBe(JOBS);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      const sample = await queue.getJobs('completed', { offset: 0, limit: 50 });
      expect(sample).toHaveLength(50);
      expect(sample.every((j) => j.attemptsMade === 1 && j.attemptsStarted === 1)).toBe(true);
    } finally {
      procs.kill();
      await backend.close();
    }
  }, 120_000);
});
