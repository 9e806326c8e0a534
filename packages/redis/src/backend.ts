import type { Backend, BackendCapabilities } from '@mq/core';
import { defineCapabilities, Lifecycle } from '@mq/core/backend-kit';
import type { Redis } from 'ioredis';
import { Connections } from './connection.js';
import { RedisBackendClosedError } from './errors.js';
import { BackendContext } from './context.js';
import { RedisEventBus } from './event-bus.js';
import { RedisJobStore } from './job-store.js';
import { KeySpace } from './keys.js';
import { RedisLockStore } from './locks.js';
import { type RedisBackendOptions, resolveOptions } from './options.js';
import { RedisQueueAdmin } from './queue-admin.js';
import { RedisScheduleStore } from './schedule-store.js';
import { ScriptRunner } from './script-runner.js';
import { ALL_SCRIPTS } from './scripts/index.js';
import { WakeHub } from './wake-hub.js';
import { WriteCoalescer } from './write-coalescer.js';
import { RedisWorkerRegistry } from './worker-registry.js';

/** What the Redis backend promises: everything, across processes. */
export const REDIS_CAPABILITIES: Readonly<BackendCapabilities> = defineCapabilities({
  distributedLocks: true,
  globalRateLimit: true,
  globalConcurrency: true,
  pushWakeups: true,
  distributedEvents: true,
  durable: true,
  distributedSchedules: true,
});

/** A {@link Backend} on Redis, plus the connection it runs its commands on. */
export interface RedisBackend extends Backend {
  /** The main connection (yours if you passed `client`). */
  readonly client: Redis;
  /** The key prefix in use. */
  readonly prefix: string;
}

/**
 * Creates a Redis backend. Connects lazily (on `ready()` or the first command); with a
 * `client` of yours it never closes that client.
 *
 * @example
 * const backend = createRedisBackend({ url: 'redis://127.0.0.1:6379', prefix: 'mq' });
 * const queue = new Queue('emails', { backend });
 */
export function createRedisBackend(options: RedisBackendOptions = {}): RedisBackend {
  const opts = resolveOptions(options);
  const conns = new Connections(opts);
  const writes = new WriteCoalescer(conns.main);
  const ctx = new BackendContext(
    opts,
    conns,
    new KeySpace(opts.prefix),
    new ScriptRunner(conns.main, writes),
    writes,
  );
  const hub = new WakeHub(ctx);
  const events = new RedisEventBus(ctx);
  const lifecycle = new Lifecycle({
    open: async () => {
      await conns.ready();
      await ctx.scripts.load(ALL_SCRIPTS);
    },
    shut: async () => {
      hub.close();
      await events.close();
      await conns.close();
    },
    closedError: () => new RedisBackendClosedError(),
  });

  return {
    name: 'redis',
    capabilities: REDIS_CAPABILITIES,
    client: conns.main,
    prefix: opts.prefix,
    jobs: new RedisJobStore(ctx, hub),
    admin: new RedisQueueAdmin(ctx),
    schedules: new RedisScheduleStore(ctx),
    locks: new RedisLockStore(ctx),
    workers: new RedisWorkerRegistry(ctx),
    events,
    ready: () => lifecycle.ready(),
    close: () => lifecycle.close(),
  };
}
