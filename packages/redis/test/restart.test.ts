import { Queue } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend } from '../src/index.js';
import { PrivateRedis, privateRedisSkip } from './private-redis.js';
import { WorkerProcesses } from './workers-harness.js';

const BATCHES = 60;
const BATCH = 50;
const JOBS = BATCHES * BATCH;
/** How long after the server is back producers and workers must be moving again. */
const RECOVERY_BOUND_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(privateRedisSkip !== undefined)('redis backend: server restart under load', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(() => server?.destroy());

  it('producers and workers in other processes recover by themselves; no job is lost', async () => {
    const procs = await WorkerProcesses.start({
      processes: 2,
      workers: 2,
      concurrency: 4,
      url: server.url,
      prefix: 'rs',
      queue: 'rs',
      jobMs: 5,
    });
    const backend = createRedisBackend({ url: server.url, prefix: 'rs', onError: () => {} });
    const queue = new Queue('rs', {
      backend,
      defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
    });
    queue.on('error', () => {});
    try {
      let lastAddOk = 0;
      let addErrors = 0;
      // Custom ids make a retried batch idempotent: a batch whose reply was lost in the
      // crash comes back as `duplicate`, never as a second copy.
      const producing = (async () => {
        for (let b = 0; b < BATCHES; b++) {
          const batch = Array.from({ length: BATCH }, (_, k) => ({
            name: 'n',
            data: { b, k },
            opts: { jobId: `j-${b}-${k}` },
          }));
          for (;;) {
            try {
              await queue.addBulk(batch);
              lastAddOk = Date.now();
              break;
            } catch {
              addErrors++;
              await sleep(50);
            }
          }
          await sleep(15);
        }
      })();
      await sleep(400);
      const atCrash = await queue.getCounts();
      expect(atCrash.completed).toBeGreaterThan(0);
      expect(atCrash.active).toBeGreaterThan(0);
      await server.stop('SIGKILL');
      const crashedAt = Date.now();
      await sleep(500);
      await server.start();
      const back = Date.now();
      // Producers and workers resume on their own.
      // An add acknowledged in the very millisecond of the crash does not count as recovery.
      while (lastAddOk <= crashedAt && Date.now() - back < RECOVERY_BOUND_MS) await sleep(20);
      expect(lastAddOk).toBeGreaterThan(crashedAt);
      const before = (await queue.getCounts()).completed;
      let counts = await queue.getCounts();
      while (counts.completed === before && Date.now() - back < RECOVERY_BOUND_MS) {
        await sleep(20);
        counts = await queue.getCounts();
      }
      expect(counts.completed).toBeGreaterThan(before);
      expect(Date.now() - back).toBeLessThan(RECOVERY_BOUND_MS);

      await producing;
      const deadline = Date.now() + 60_000;
      while (counts.completed < JOBS && Date.now() < deadline) {
        await sleep(50);
        counts = await queue.getCounts();
      }
      expect(counts).toEqual({ waiting: 0, delayed: 0, active: 0, completed: JOBS, failed: 0 });
      const runs = await procs.stop();
      // Every job ran; a job in flight at the crash may have run twice (at-least-once).
      expect(runs.size).toBe(JOBS);
      const twice = [...runs.values()].filter((n) => n > 1).length;
      expect(twice).toBeLessThan(JOBS / 10);
      console.info(`[restart] add errors retried: ${addErrors}; jobs run more than once: ${twice}`);
    } finally {
      procs.kill();
      await backend.close();
    }
  }, 120_000);
});
