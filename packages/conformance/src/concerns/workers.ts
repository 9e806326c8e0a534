import { hostname } from 'node:os';
import type { WorkerInfo } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { uniqueName } from '../support/names.js';
import { sleep, waitFor } from '../support/wait-for.js';

function info(id: string, queue: string): Omit<WorkerInfo, 'lastSeen'> {
  return {
    id,
    kind: 'worker',
    queue,
    host: 'conf-host',
    pid: 4242,
    concurrency: 3,
    startedAt: Date.now(),
  };
}

/** The worker registry (heartbeats with freshness) and a Worker's slots and local limiter. */
export function workers(env: SuiteEnv): void {
  const h = useHarness(env, 'workers');
  const beat = () => Math.max(10, 4 * env.timing.tickMs);

  it('heartbeat registers a worker with lastSeen; list filters by queue; unregister removes it', async () => {
    const reg = h.backend.workers;
    const queue = h.name();
    const other = h.name();
    const a = uniqueName('worker');
    const b = uniqueName('worker');
    const before = Date.now();
    await reg.heartbeat(info(a, queue), 60_000);
    await reg.heartbeat(info(b, other), 60_000);
    try {
      const listed = await reg.list(queue);
      expect(listed.map((w) => w.id)).toEqual([a]);
      expect(listed[0]).toMatchObject({ ...info(a, queue), startedAt: listed[0]!.startedAt });
      expect(listed[0]!.lastSeen).toBeGreaterThanOrEqual(before - env.timing.slackMs);
      expect(listed[0]!.lastSeen).toBeLessThanOrEqual(Date.now() + env.timing.slackMs);
      const all = (await reg.list()).map((w) => w.id);
      expect(all).toEqual(expect.arrayContaining([a, b]));
      await reg.unregister(a);
      expect(await reg.list(queue)).toEqual([]);
    } finally {
      await reg.unregister(a);
      await reg.unregister(b);
    }
  });

  it('an entry disappears ttl after its last heartbeat; a heartbeat refreshes it', async () => {
    const reg = h.backend.workers;
    const queue = h.name();
    const id = uniqueName('worker');
    const ttl = Math.max(200, 8 * env.timing.tickMs);
    const firstAt = Date.now();
    await reg.heartbeat(info(id, queue), ttl);
    const first = (await reg.list(queue))[0]!;
    await sleep(ttl / 2);
    await reg.heartbeat(info(id, queue), ttl);
    const second = (await reg.list(queue))[0]!;
    expect(second.lastSeen).toBeGreaterThan(first.lastSeen);
    // Past the first beat's expiry, before the second's.
    await sleep(firstAt + (ttl * 5) / 4 - Date.now());
    expect((await reg.list(queue)).map((w) => w.id)).toEqual([id]);
    await sleep(ttl);
    expect(await reg.list(queue)).toEqual([]);
  });

  it('a running Worker is listed with a fresh lastSeen and unlisted after close', async () => {
    const q = h.queue();
    const w = h.worker(q.name, async () => undefined, {
      concurrency: 4,
      heartbeatIntervalMs: beat(),
    });
    const listed = await waitFor(
      async () => (await q.listWorkers()).find((x) => x.id === w.id),
      env.patienceMs,
      `worker ${w.id} listed`,
    );
    expect(listed).toMatchObject({
      kind: 'worker',
      queue: q.name,
      concurrency: 4,
      pid: process.pid,
      host: hostname(),
    });
    // Freshness: lastSeen keeps moving with the heartbeats.
    await waitFor(
      async () => {
        const now = (await q.listWorkers()).find((x) => x.id === w.id);
        return now !== undefined && now.lastSeen > listed.lastSeen;
      },
      env.wakeBound(2 * beat()),
      'a later heartbeat',
    );
    const latest = (await q.listWorkers()).find((x) => x.id === w.id)!;
    expect(Date.now() - latest.lastSeen).toBeLessThanOrEqual(env.wakeBound(beat()));
    await w.close();
    expect((await q.listWorkers()).map((x) => x.id)).not.toContain(w.id);
  });

  it('a worker never holds more leases than its concurrency', async () => {
    const q = h.queue();
    const gate = h.gate();
    let running = 0;
    let peak = 0;
    const w = h.worker(
      q.name,
      async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
      },
      { concurrency: 3 },
    );
    await q.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'job', data: i })));
    await waitFor(() => running === 3, env.patienceMs, 'three jobs running');
    await sleep(env.wakeBound());
    expect(await q.getCounts()).toMatchObject({ active: 3, waiting: 7 });
    expect(w.activeCount).toBe(3);
    gate.open();
    await waitFor(
      async () => (await q.getCounts()).completed === 10,
      env.patienceMs,
      'all ten jobs completed',
    );
    expect(peak).toBe(3);
  });

  it("a worker's limiter starts at most max jobs per duration", async () => {
    const q = h.queue();
    const duration = Math.max(100, 8 * env.timing.tickMs);
    const starts: number[] = [];
    h.worker(q.name, async () => starts.push(Date.now()), {
      concurrency: 10,
      limiter: { max: 2, duration },
    });
    await q.addBulk(Array.from({ length: 5 }, (_, i) => ({ name: 'job', data: i })));
    await waitFor(() => starts.length === 5, env.patienceMs, 'five jobs started');
    // 5 jobs at 2 per window need at least 3 windows: two full durations between first and last.
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(2 * duration - env.timing.tickMs);
  });

  it("the limiter's window holds from the first job: workers idle before work came let no burst through", async () => {
    const q = h.queue();
    const max = 3;
    const duration = Math.max(600, 24 * env.timing.tickMs);
    const starts: number[] = [];
    const opts = { concurrency: 10, limiter: { max, duration } };
    h.worker(q.name, async () => starts.push(Date.now()), opts);
    h.worker(q.name, async () => starts.push(Date.now()), opts);
    // Idle for most of a window first: a window opened by the first claim attempt
    // (not the first start) closed soon after the first jobs and let `max` more start.
    await sleep(duration * 0.6);
    await q.addBulk(Array.from({ length: 12 }, (_, i) => ({ name: 'job', data: i })));
    await waitFor(() => starts.length >= 3 * max, env.patienceMs, `${3 * max} jobs started`);
    starts.sort((a, b) => a - b);
    // Two workers start at most 2 × max jobs in any `duration`: of any 2 × max + 1
    // consecutive starts, the last is a window after the first (a few ms of clock
    // granularity between the limiter's clock and the processor's aside).
    for (let i = 0; i + 2 * max < starts.length; i++) {
      expect(starts[i + 2 * max]! - starts[i]!).toBeGreaterThanOrEqual(duration - 20);
    }
  });
}
