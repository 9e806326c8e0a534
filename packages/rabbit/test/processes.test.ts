import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Queue } from '@mq/core';
import type { createRedisBackend } from '@mq/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRabbitBackend } from '../src/index.js';
import { amqp, redisSvc, storeFixture, unique, waitFor } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/load-worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// The shape, bounded for a shared 2-core machine: 10 Workers (concurrency 5 each)
// in 5 processes, 10,000 jobs.
const PROCESSES = 5;
const JOBS = 10_000;

describe.skipIf(amqp.skip !== undefined || redisSvc.skip !== undefined)(
  'rabbit+redis: several worker processes',
  () => {
    const fixture = storeFixture('redis');
    afterAll(() => fixture.cleanup());

    it('every job completes exactly once across processes, as recorded by the store', async () => {
      if (!existsSync(DIST)) throw new Error('packages/rabbit/dist is missing: run `pnpm build`');
      const store = (await fixture.create()) as ReturnType<typeof createRedisBackend>;
      const prefix = unique('procs');
      const backend = createRabbitBackend({
        url: amqp.url ?? '',
        store,
        ownsStore: true,
        prefix,
      });
      await backend.ready();
      const queue = new Queue('load', { backend, events: false });
      const children: ChildProcess[] = [];
      try {
        await Promise.all(
          Array.from({ length: PROCESSES }, () => {
            const child = fork(FIXTURE, [], {
              env: {
                ...process.env,
                MQ_STORE_PREFIX: store.prefix,
                MQ_PREFIX: prefix,
                MQ_QUEUE: 'load',
                MQ_WORKERS: '2',
                MQ_CONCURRENCY: '5',
              },
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            children.push(child);
            return new Promise<void>((resolve, reject) => {
              child.once('message', () => resolve());
              child.once('exit', (code) => reject(new Error(`worker process exited (${code})`)));
            });
          }),
        );
        const ids: string[] = [];
        for (let i = 0; i < JOBS; i += 500) {
          const added = await queue.addBulk(
            // Kept after completion (the default keeps the last 1,000) so the store's count is exact.
            Array.from({ length: 500 }, (_, k) => ({
              name: 'j',
              data: i + k,
              opts: { removeOnComplete: false },
            })),
          );
          ids.push(...added.map((a) => a.id));
        }
        await waitFor(
          async () => {
            const c = await queue.getCounts();
            if (process.env.MQ_DEBUG) console.log(JSON.stringify(c));
            return c.completed === JOBS;
          },
          60_000,
          'every job completed',
        );
        const runs = new Map<string, number>();
        await Promise.all(
          children.map(
            (child) =>
              new Promise<void>((resolve) => {
                child.once('message', (m: { runs: Record<string, number> }) => {
                  for (const [id, n] of Object.entries(m.runs))
                    runs.set(id, (runs.get(id) ?? 0) + n);
                  resolve();
                });
                child.send('stop');
              }),
          ),
        );
        const counts = await queue.getCounts();
        expect(counts).toMatchObject({ completed: JOBS, waiting: 0, active: 0, failed: 0 });
        expect(runs.size).toBe(JOBS);
        expect([...runs.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        expect(new Set(ids)).toEqual(new Set(runs.keys()));
      } finally {
        for (const c of children) if (c.exitCode === null) c.kill();
        await queue.close();
        await backend.admin.obliterate('load', true);
        await backend.close();
      }
    }, 90_000);
  },
);
