import { type Backend, type JobStore, Queue, Worker } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

/** Observations of the settle calls a worker makes. */
interface Probe {
  inFlight: number;
  peakInFlight: number;
  biggestBatch: number;
  leased: number;
  peakLeased: number;
}

/**
 * The memory backend with settle calls that take `delayMs` (as a network round trip
 * would) and a chosen `minSettleBatch`, counting calls in flight and leases held.
 */
function observed(minSettleBatch: number, delayMs: number): { backend: Backend; probe: Probe } {
  const inner = createMemoryBackend();
  const probe: Probe = { inFlight: 0, peakInFlight: 0, biggestBatch: 0, leased: 0, peakLeased: 0 };
  const grant = (n: number) => {
    probe.leased += n;
    probe.peakLeased = Math.max(probe.peakLeased, probe.leased);
  };
  const jobs: JobStore = {
    ...inner.jobs,
    minSettleBatch,
    async reserve(queue, req) {
      const r = await inner.jobs.reserve(queue, req);
      grant(r.jobs.length);
      return r;
    },
    async settle(queue, outcomes, next) {
      probe.inFlight++;
      probe.peakInFlight = Math.max(probe.peakInFlight, probe.inFlight);
      probe.biggestBatch = Math.max(probe.biggestBatch, outcomes.length);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const r = await inner.jobs.settle(queue, outcomes, next);
      probe.leased -= outcomes.length;
      grant(r.next?.jobs.length ?? 0);
      probe.inFlight--;
      return r;
    },
  };
  return { backend: { ...inner, jobs }, probe };
}

async function drain(backend: Backend, concurrency: number, count: number): Promise<string[]> {
  const q = new Queue<number>('q', { backend, events: false });
  await q.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'job', data: i })));
  const ran: string[] = [];
  const w = new Worker<number>('q', async (job) => void ran.push(job.id), {
    backend,
    concurrency,
    events: false,
  });
  const deadline = Date.now() + 10_000;
  while ((await q.getCounts()).completed < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await w.close();
  return ran;
}

describe('worker: overlapping settle calls', () => {
  it('keeps two calls of half its slots in flight, never more leases than slots', async () => {
    const { backend, probe } = observed(2, 3);
    const ran = await drain(backend, 8, 300);
    expect(ran).toHaveLength(300);
    expect(new Set(ran).size).toBe(300);
    expect(probe.peakInFlight).toBe(2);
    expect(probe.biggestBatch).toBeLessThanOrEqual(4);
    expect(probe.peakLeased).toBeLessThanOrEqual(8);
  });

  it('keeps one call of all its slots when half of them is below minSettleBatch', async () => {
    const { backend, probe } = observed(5, 3);
    const ran = await drain(backend, 8, 100);
    expect(new Set(ran).size).toBe(100);
    expect(probe.peakInFlight).toBe(1);
    expect(probe.biggestBatch).toBeGreaterThan(4);
    expect(probe.peakLeased).toBeLessThanOrEqual(8);
  });
});
