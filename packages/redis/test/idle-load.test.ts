import { Queue, Worker } from '@mq/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBackend, DEFAULT_BLOCK_MS } from '../src/index.js';
import { PrivateRedis, privateRedisSkip } from './private-redis.js';

const WINDOW_MS = 3000;
const IDLE_WAIT_MS = 1000;
const HEARTBEAT_MS = 10_000;
const STALLED_MS = 30_000;

/**
 * The idle command rate, derived from the design (README, "Idle cost"): an idle worker
 * sends one reserve per `idleWaitMs`, one heartbeat per `heartbeatIntervalMs`, one
 * stalled-lease check per `stalledIntervalMs`, and its queue's wake-up loop sends one
 * nextDue + one BZPOPMIN per `blockMs`. Each periodic source may fire once more than
 * the window holds (phase).
 */
function idleBound(windowMs: number): number {
  const per = (period: number) => Math.ceil(windowMs / period) + 1;
  return per(IDLE_WAIT_MS) + per(HEARTBEAT_MS) + per(STALLED_MS) + 2 * per(DEFAULT_BLOCK_MS);
}

describe.skipIf(privateRedisSkip !== undefined)('redis backend: idle load', () => {
  let server: PrivateRedis;
  beforeAll(async () => {
    server = await PrivateRedis.start();
  });
  afterAll(() => server?.destroy());

  it('an idle worker sends a bounded number of commands, and still wakes at once', async () => {
    // Count client commands with MONITOR (script-internal calls show as "lua"; they cost
    // no round trip and are not what an idle worker "sends").
    const monitorConn = new Redis(server.url);
    const monitor = await monitorConn.monitor();
    let counting = false;
    const seen: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (counting && source !== 'lua') seen.push(String(args[0]).toLowerCase());
    });
    // MONITOR first, on a quiet server: ioredis mis-parses a stream that is busy before
    // its MONITOR reply arrives.
    const backend = createRedisBackend({ url: server.url, prefix: 'idle' });
    const worker = new Worker('idle', async () => 'done', {
      backend,
      idleWaitMs: IDLE_WAIT_MS,
      heartbeatIntervalMs: HEARTBEAT_MS,
      stalledIntervalMs: STALLED_MS,
    });
    try {
      await new Promise((r) => setTimeout(r, 500)); // startup: first reserve, heartbeat
      counting = true;
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      counting = false;
      const bound = idleBound(WINDOW_MS);
      expect(seen.length).toBeLessThanOrEqual(bound);
      expect(seen.every((c) => c === 'evalsha' || c === 'bzpopmin')).toBe(true);
      // Still alive and push-woken: a job added now starts long before idleWaitMs.
      const queue = new Queue('idle', { backend });
      const started = new Promise<number>((resolve) =>
        worker.once('active', () => resolve(Date.now())),
      );
      const t0 = Date.now();
      await queue.add('x', null);
      expect((await started) - t0).toBeLessThan(IDLE_WAIT_MS / 2);
      await queue.close();
    } finally {
      await worker.close();
      await backend.close();
      monitor.disconnect();
      monitorConn.disconnect();
    }
  });
});
