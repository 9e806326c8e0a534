import { type QueueEvent, QueueEvents } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { describe, expect, it } from 'vitest';
import { createOperations } from '../src/index.js';

describe('admin actions publish the core events with the caller and the reason', () => {
  it('pause and a schedule change carry actor and reason, as the audit log does', async () => {
    const backend = createMemoryBackend();
    const ops = createOperations({ backend });
    const events = new QueueEvents('emails', { backend });
    const got: QueueEvent[] = [];
    events.on('event', (e) => got.push(e));
    await events.start();
    const alice = { id: 'alice', role: 'operator' as const };
    try {
      const backendName = (
        (await ops.execute(alice, 'queues.overview', {})) as { queues: { backend: string }[] }
      ).queues[0]?.backend;
      const target = { ...(backendName ? { backend: backendName } : {}), queue: 'emails' };
      await ops.execute(alice, 'queue.pause', { ...target, reason: 'provider outage' });
      await backend.schedules.upsert({
        id: 's',
        queue: 'emails',
        spec: { every: 60_000 },
        template: { name: 't', payload: 'null', priority: 0, lifo: false, opts: {} as never },
        paused: false,
        nextRunAt: Date.now() + 60_000,
        runCount: 0,
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
      await ops.execute(alice, 'schedules.pause', { ...target, id: 's', reason: 'hold digests' });
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got.map((e) => [e.type, e.data])).toEqual([
        ['paused', { actor: 'alice', reason: 'provider outage' }],
        ['schedule', { scheduleId: 's', change: 'paused', actor: 'alice', reason: 'hold digests' }],
      ]);
    } finally {
      await events.close();
      await ops.close();
      await backend.close();
    }
  });
});
