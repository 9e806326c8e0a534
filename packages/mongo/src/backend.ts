import type { Backend, BackendCapabilities } from '@mq/core';
import { Lifecycle, WaiterSet } from '@mq/core/backend-kit';
import type { Db } from 'mongodb';
import { FERRETDB_CAPABILITIES, MONGO_CAPABILITIES } from './capabilities.js';
import { type Connection, connect, type ServerInfo } from './connection.js';
import { MongoContext } from './context.js';
import { MongoBackendClosedError } from './errors.js';
import { MongoEventBus } from './event-bus.js';
import { createIndexes } from './indexes.js';
import { MongoJobStore } from './job-store.js';
import { MongoLockStore } from './locks.js';
import { type MongoBackendOptions, resolveOptions } from './options.js';
import { MongoQueueAdmin } from './queue-admin.js';
import { MongoScheduleStore } from './schedule-store.js';
import { MongoWorkerRegistry } from './worker-registry.js';

/** A {@link Backend} on MongoDB, plus what it learnt about the server. */
export interface MongoBackend extends Backend {
  /** The collection prefix in use. */
  readonly prefix: string;
  /** The database in use (after `ready()`). */
  readonly db: Db | undefined;
  /** What `ready()` detected (undefined before). */
  readonly server: ServerInfo | undefined;
}

/**
 * Creates a MongoDB backend. Connects lazily, on `ready()` or the first operation;
 * with a `client` or `db` of yours it never closes that client. `capabilities` reflect
 * the server once connected (FerretDB: see `FERRETDB_CAPABILITIES`).
 *
 * @example
 * const backend = createMongoBackend({ url: 'mongodb://127.0.0.1:27017/app', prefix: 'mq' });
 * const queue = new Queue('emails', { backend });
 */
export function createMongoBackend(options: MongoBackendOptions): MongoBackend {
  const opts = resolveOptions(options);
  const hub = new WaiterSet();
  let conn: Connection | undefined;
  const lifecycle: Lifecycle = new Lifecycle({
    open: async () => {
      const c = await connect(options, opts.dbName);
      try {
        ctx.bind(c.db);
        ctx.ferret = c.info.ferret;
        if (opts.createIndexes) await createIndexes(ctx);
      } catch (err) {
        await c.owned?.close().catch(() => undefined);
        throw err;
      }
      conn = c;
    },
    shut: async () => {
      hub.wakeAll();
      await events.close();
      await conn?.owned?.close();
    },
    closedError: () => new MongoBackendClosedError(),
  });
  const ctx = new MongoContext(
    opts,
    hub,
    () => lifecycle.ready(),
    () => lifecycle.isClosed,
  );
  const events = new MongoEventBus(ctx);

  return {
    name: 'mongo',
    get capabilities(): Readonly<BackendCapabilities> {
      return conn?.info.ferret === true ? FERRETDB_CAPABILITIES : MONGO_CAPABILITIES;
    },
    prefix: opts.prefix,
    get db() {
      return conn?.db;
    },
    get server() {
      return conn?.info;
    },
    jobs: new MongoJobStore(ctx),
    admin: new MongoQueueAdmin(ctx),
    schedules: new MongoScheduleStore(ctx),
    locks: new MongoLockStore(ctx),
    workers: new MongoWorkerRegistry(ctx),
    events,
    ready: () => lifecycle.ready(),
    close: () => lifecycle.close(),
  };
}
