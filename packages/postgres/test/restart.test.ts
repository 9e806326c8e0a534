import { Queue, Worker } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, migrate, type PostgresBackend } from '../src/index.js';
import { sleep } from './helpers.js';
import { findPgBin, type PrivateCluster, startPrivateCluster } from './private-cluster.js';

const pgBin = findPgBin();
if ('skip' in pgBin) {
  console.warn(
    `\n${'!'.repeat(72)}\n[mq] postgres restart test SKIPPED: ${pgBin.skip}\n${'!'.repeat(72)}\n`,
  );
}

// A private cluster: restarting the shared server would break every other suite.
describe.skipIf('skip' in pgBin)('postgres restart under load', () => {
  let cluster: PrivateCluster;
  const backends: PostgresBackend[] = [];
  const open = () => {
    const b = createPostgresBackend({
      connectionString: cluster.url,
      reconnect: { initialMs: 50, maxMs: 500 },
    });
    backends.push(b);
    return b;
  };

  beforeAll(async () => {
    cluster = await startPrivateCluster((pgBin as { bin: string }).bin);
    await migrate({ connectionString: cluster.url });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
    await cluster?.stop();
  });

  it('workers and producers recover by themselves and no acknowledged job is lost', async () => {
    const queueName = 'restart';
    const acked = new Set<string>();
    const processed = new Set<string>();
    const errors = { producer: 0, worker: 0 };

    const workers = [open(), open()].map((backend) => {
      const w = new Worker(
        queueName,
        async (job) => {
          processed.add(job.id);
        },
        { backend, concurrency: 20, leaseMs: 1000, stalledIntervalMs: 300, maxStalls: 10 },
      );
      w.on('error', () => errors.worker++);
      return w;
    });

    let producing = true;
    const producer = async (p: number, backend: PostgresBackend) => {
      const q = new Queue(queueName, { backend });
      q.on('error', () => {});
      for (let i = 0; producing; i++) {
        const jobId = `p${p}-${i}`;
        // An add whose fate is unknown is retried with the same id: idempotent.
        for (;;) {
          try {
            await q.add('work', { i }, { jobId });
            acked.add(jobId);
            break;
          } catch {
            errors.producer++;
            await sleep(50);
          }
        }
        if (i % 10 === 0) await sleep(1);
      }
    };
    const producers = [open(), open()].map((b, p) => producer(p, b));

    await sleep(1000);
    const before = acked.size;
    expect(before).toBeGreaterThan(100);
    await cluster.restart('immediate');
    await sleep(1500);
    await cluster.restart('fast');
    await sleep(1500);
    producing = false;
    await Promise.all(producers);
    // Producers went on after both restarts.
    expect(acked.size).toBeGreaterThan(before + 100);

    for (let i = 0; i < 300 && [...acked].some((id) => !processed.has(id)); i++) await sleep(100);
    const missing = [...acked].filter((id) => !processed.has(id));
    expect(missing).toEqual([]);
    // The outage was real: both sides saw errors and recovered without help.
    expect(errors.producer + errors.worker).toBeGreaterThan(0);
    await Promise.all(workers.map((w) => w.close()));
    const counts = await backends[0]!.admin.counts(queueName);
    expect(counts.waiting + counts.delayed + counts.active).toBe(0);
  }, 120_000);
});
