import type { Backend, BackendCapabilities, EventBus } from '@mq/core';
import { defineCapabilities, Lifecycle, WaiterSet } from '@mq/core/backend-kit';
import type { Pool } from 'pg';
import { Db, openPool, type Queryable } from './connection.js';
import type { BackendContext } from './context.js';
import { BackendClosedError } from './errors.js';
import { PostgresEventBus } from './event-bus.js';
import { PostgresJobStore } from './job-store.js';
import { Listener } from './listener.js';
import { PostgresLockStore } from './locks.js';
import { assertSchemaVersion, migrate, readSchemaVersion } from './migrate.js';
import { LATEST_VERSION } from './migrations/index.js';
import { clientConfigOf, type PostgresBackendOptions, resolveOptions } from './options.js';
import { PostgresQueueAdmin } from './queue-admin.js';
import { PostgresScheduleStore } from './schedule-store.js';
import { schemaNames } from './sql/ident.js';
import { VACUUM_OFF, Vacuumer, type VacuumStatus } from './vacuum.js';
import { PostgresWorkerRegistry } from './worker-registry.js';

/** What PostgreSQL promises: everything is shared through the database. */
export const POSTGRES_CAPABILITIES: Readonly<BackendCapabilities> = defineCapabilities({
  distributedLocks: true,
  globalRateLimit: true,
  globalConcurrency: true,
  pushWakeups: true,
  distributedEvents: true,
  durable: true,
  distributedSchedules: true,
});

/** A {@link Backend} on PostgreSQL, plus transactional enqueue. */
export interface PostgresBackend extends Backend {
  /** The schema holding the tables. */
  readonly schema: string;
  /** The pool the backend queries through (the caller's, when one was given). */
  readonly pool: Pool;
  /**
   * A view of this backend whose every operation runs on `client` — typically a client
   * inside the caller's open transaction, so `queue.add` commits or rolls back with the
   * caller's own writes (wake-ups are delivered on commit). The view shares this
   * backend's listener; its `ready()` and `close()` do nothing.
   */
  withClient(client: Queryable): Backend;
  /** The LISTEN connection, for health checks: up or reconnecting, and its server pid. */
  readonly listener: ListenerStatus;
  /** What the housekeeping vacuum of `jobs` did so far (option `vacuum`). */
  readonly vacuum: VacuumStatus;
}

/** Diagnostics of the LISTEN connection. */
export interface ListenerStatus {
  /** True while LISTEN is in place; false while reconnecting (waits poll meanwhile). */
  readonly isUp: boolean;
  /** The server pid of the LISTEN connection (`pg_stat_activity.pid`), when up. */
  readonly pid: number | undefined;
}

/**
 * Creates the PostgreSQL backend. Call `ready()` once (core does) before use: it checks
 * the schema version (or migrates, with `migrate: true`) and starts LISTEN.
 */
export function createPostgresBackend(options: PostgresBackendOptions): PostgresBackend {
  return new PgBackend(options);
}

class PgBackend implements PostgresBackend {
  readonly name = 'postgres';
  readonly capabilities = POSTGRES_CAPABILITIES;
  readonly schema: string;
  readonly pool: Pool;
  readonly jobs: PostgresJobStore;
  readonly admin: PostgresQueueAdmin;
  readonly schedules: PostgresScheduleStore;
  readonly locks: PostgresLockStore;
  readonly workers: PostgresWorkerRegistry;
  readonly events: PostgresEventBus;
  /** The LISTEN connection (exposed for tests that kill it). */
  readonly listener: Listener;
  readonly vacuum: VacuumStatus;

  private readonly ctx: BackendContext;
  private readonly ownsPool: boolean;
  private closed = false;
  private readonly lifecycle = new Lifecycle({
    open: () => this.prepare(),
    shut: () => this.shut(),
    closedError: () => new BackendClosedError('ready'),
  });

  constructor(input: PostgresBackendOptions) {
    const options = resolveOptions(input);
    const names = schemaNames(options.schema);
    const handle = openPool(input, options.poolSize, options.queryTimeoutMs);
    this.schema = options.schema;
    this.pool = handle.pool;
    this.ownsPool = handle.owned;
    const wakeups = new WaiterSet();
    this.listener = new Listener(
      clientConfigOf(input),
      // The events channel is added by the first subscription (see PostgresEventBus).
      [names.jobsChannel],
      { initialMs: options.reconnectInitialMs, maxMs: options.reconnectMaxMs },
      {
        notify: (channel, queue) => {
          if (channel === names.jobsChannel) wakeups.wake(queue);
          else this.events.notified(queue);
        },
        up: () => {
          wakeups.wakeAll();
          this.events.syncPoll();
          this.events.readAll();
        },
        down: () => this.events.syncPoll(),
      },
    );
    const guard = (op: string) => {
      if (this.closed) throw new BackendClosedError(op);
    };
    this.ctx = {
      db: new Db(this.pool, {
        schema: options.schema,
        expectedVersion: LATEST_VERSION,
        guard,
        autocommit: true,
        queryTimeoutMs: options.queryTimeoutMs,
      }),
      names,
      options,
      wakeups,
      vacuum: options.vacuum && new Vacuumer(this.pool, names, options.vacuum),
      listener: () => {
        if (!this.closed) void this.listener.start();
        return this.listener;
      },
    };
    this.vacuum = this.ctx.vacuum ?? VACUUM_OFF;
    this.jobs = new PostgresJobStore(this.ctx);
    this.admin = new PostgresQueueAdmin(this.ctx);
    this.schedules = new PostgresScheduleStore(this.ctx);
    this.locks = new PostgresLockStore(this.ctx);
    this.workers = new PostgresWorkerRegistry(this.ctx);
    this.events = new PostgresEventBus(this.ctx);
  }

  /** Checks the schema and starts LISTEN; after a failure, the next call tries again. */
  ready(): Promise<void> {
    return this.lifecycle.ready();
  }

  private async prepare(): Promise<void> {
    if (this.ctx.options.migrate) await migrate({ pool: this.pool, schema: this.schema });
    const version = await readSchemaVersion((text) => this.pool.query(text), this.schema);
    assertSchemaVersion(this.schema, version);
    await this.listener.start();
  }

  withClient(client: Queryable): Backend {
    const ctx: BackendContext = {
      ...this.ctx,
      db: new Db(client, {
        schema: this.schema,
        expectedVersion: LATEST_VERSION,
        guard: (op) => {
          if (this.closed) throw new BackendClosedError(op);
        },
        queryTimeoutMs: this.ctx.options.queryTimeoutMs,
      }),
    };
    const viewBus = new PostgresEventBus(ctx);
    const events: EventBus = {
      publish: (queue, list) => viewBus.publish(queue, list),
      // Subscriptions need the shared listener: they live on the backend itself.
      subscribe: (queues, listener, fromId) => this.events.subscribe(queues, listener, fromId),
    };
    return {
      name: this.name,
      capabilities: this.capabilities,
      jobs: new PostgresJobStore(ctx, false),
      admin: new PostgresQueueAdmin(ctx),
      schedules: new PostgresScheduleStore(ctx),
      locks: new PostgresLockStore(ctx),
      workers: new PostgresWorkerRegistry(ctx),
      events,
      ready: async () => {},
      close: async () => {},
    };
  }

  close(): Promise<void> {
    // Set before `shut` runs (which waits for a `ready` in flight): queries fail at once.
    this.closed = true;
    return this.lifecycle.close();
  }

  private async shut(): Promise<void> {
    this.events.close();
    // Waiters resolve at once; a closing worker must not sit out its maxWaitMs.
    this.ctx.wakeups.wakeAll();
    await this.listener.close();
    await this.ctx.vacuum?.stop();
    if (this.ownsPool) await this.pool.end().catch(() => {});
  }
}
