import type { BackendCapabilities } from '@mq/core';
import { defineCapabilities } from '@mq/core/backend-kit';

/**
 * What a RabbitMQ backend promises over `store`: the store's own capabilities — it makes
 * every state transition, so locks, global limits, events, schedules and durability are
 * exactly as good as the store's — with `pushWakeups` on, because the broker pushes a
 * delivery for every job that becomes waiting through this backend.
 */
export function rabbitCapabilities(store: BackendCapabilities): Readonly<BackendCapabilities> {
  return defineCapabilities({
    distributedLocks: store.distributedLocks,
    globalRateLimit: store.globalRateLimit,
    globalConcurrency: store.globalConcurrency,
    pushWakeups: true,
    distributedEvents: store.distributedEvents,
    durable: store.durable,
    distributedSchedules: store.distributedSchedules,
  });
}
