import type { Backend } from '@mq/core';
import { MEMORY_CAPABILITIES } from './capabilities.js';
import { createEventBus } from './event-bus.js';
import { createJobStore } from './job-store.js';
import { createLockStore } from './locks.js';
import { type MemoryBackendOptions, resolveOptions } from './options.js';
import { createQueueAdmin } from './queue-admin.js';
import { createScheduleStore } from './schedule-store.js';
import { MemoryStore } from './store.js';
import { createWorkerRegistry } from './worker-registry.js';

/**
 * Creates an in-process backend: the reference implementation of the contract, for
 * development, tests, demos and single-process apps. Nothing is durable; every backend
 * object is its own isolated world.
 *
 * `close()` resolves parked `waitForWork` calls and drops event subscribers; the data
 * stays readable until the object is garbage-collected.
 *
 * @throws MemoryBackendOptionError when an option is invalid.
 */
export function createMemoryBackend(options?: MemoryBackendOptions): Backend {
  const resolved = resolveOptions(options);
  const store = new MemoryStore(resolved);
  const events = createEventBus(resolved.eventHistory);
  return {
    name: 'memory',
    capabilities: MEMORY_CAPABILITIES,
    jobs: createJobStore(store),
    admin: createQueueAdmin(store),
    schedules: createScheduleStore(store),
    locks: createLockStore(store.now),
    workers: createWorkerRegistry(store.now),
    events,
    async ready() {},
    async close() {
      store.waiters.wakeAll();
      events.close();
    },
  };
}
