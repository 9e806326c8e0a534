/**
 * PostgreSQL backend for @mq: batch claims with `FOR UPDATE SKIP LOCKED`, LISTEN/NOTIFY
 * wake-ups, versioned migrations, transactional enqueue.
 *
 * ```ts
 * import { createPostgresBackend } from '@mq/postgres';
 * const backend = createPostgresBackend({ connectionString: process.env.DATABASE_URL });
 * await backend.ready(); // throws SchemaNotMigratedError until `mq-postgres migrate` ran
 * ```
 */
export {
  createPostgresBackend,
  type ListenerStatus,
  POSTGRES_CAPABILITIES,
  type PostgresBackend,
} from './backend.js';
export type { Queryable } from './connection.js';
export {
  BackendClosedError,
  InvalidPostgresOptionsError,
  PostgresBackendError,
  SchemaNotMigratedError,
} from './errors.js';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate.js';
export { LATEST_VERSION as SCHEMA_VERSION } from './migrations/index.js';
export type { PostgresBackendOptions, PostgresConnectionOptions } from './options.js';
export type { VacuumStatus } from './vacuum.js';
export { fromUrl } from './from-url.js';
