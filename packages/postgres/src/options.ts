import type { ClientConfig, Pool, PoolConfig } from 'pg';
import { InvalidPostgresOptionsError } from './errors.js';
import type { VacuumPolicy } from './vacuum.js';

/** How to reach PostgreSQL: exactly one of `connectionString`, `config` or `pool`. */
export interface PostgresConnectionOptions {
  /** A `postgres://user:pass@host:port/db` URL; the backend opens (and closes) its own pool. */
  connectionString?: string;
  /** A node-postgres pool config; the backend opens (and closes) its own pool. */
  config?: PoolConfig;
  /**
   * The caller's pool. The backend runs its queries on it and never ends it; the
   * LISTEN connection is a separate client opened with the pool's own options.
   */
  pool?: Pool;
  /** Schema holding the @mq tables. Default `mq`. Any name; it is always quoted. */
  schema?: string;
}

/** Options of {@link createPostgresBackend}. */
export interface PostgresBackendOptions extends PostgresConnectionOptions {
  /**
   * Run pending migrations in `ready()` (guarded by an advisory lock, so many processes
   * may start at once). Default `false`: `ready()` refuses with
   * `SchemaNotMigratedError` and you run `mq-postgres migrate` in your deploy step.
   */
  migrate?: boolean;
  /**
   * Backstop poll interval of `waitForWork` and event subscriptions while the LISTEN
   * connection is down, in ms. Default `5000`.
   */
  pollIntervalMs?: number;
  /** Events kept per queue for `subscribe(…, fromId)` replay. Default `10000`. */
  eventHistory?: number;
  /** Max size of the pool the backend opens itself (ignored with `pool`). Default `10`. */
  poolSize?: number;
  /**
   * Client-side deadline of each of the backend's queries, in ms: a connection that
   * holds every byte without closing fails the query ("Query read timeout") instead of
   * hanging it forever. Also bounds opening a connection of the backend's own pool.
   * Default `10000`.
   */
  queryTimeoutMs?: number;
  /** First and longest delay between LISTEN reconnect attempts, in ms. Default `100` / `5000`. */
  reconnect?: { initialMs?: number; maxMs?: number };
  /**
   * Housekeeping `VACUUM` of the `jobs` table by this process, so claims and retention do
   * not slow down between two autovacuum runs (README, "Keeping the hot table small"):
   * after `afterJobs` settled jobs (and at least 2% of the table's rows), at most once per
   * `minIntervalMs` across all processes, in the background. Default
   * `{ afterJobs: 5000, minIntervalMs: 500 }`; `false` leaves `jobs` to autovacuum. Only
   * the table's owner may vacuum it: for other roles this is skipped by itself.
   */
  vacuum?: false | { afterJobs?: number; minIntervalMs?: number };
}

/** Options with every default applied. */
export interface ResolvedOptions {
  schema: string;
  migrate: boolean;
  pollIntervalMs: number;
  eventHistory: number;
  poolSize: number;
  queryTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** `null` when turned off. */
  vacuum: VacuumPolicy | null;
}

/** The default schema name. */
export const DEFAULT_SCHEMA = 'mq';

/** Validates the schema name: 1 to 63 bytes (PostgreSQL's identifier limit), no NUL. */
export function resolveSchema(schema: string | undefined): string {
  const s = schema ?? DEFAULT_SCHEMA;
  if (typeof s !== 'string' || s.length === 0) {
    throw new InvalidPostgresOptionsError('schema', 'must be a non-empty string');
  }
  if (Buffer.byteLength(s, 'utf8') > 63) {
    throw new InvalidPostgresOptionsError(
      'schema',
      'must be at most 63 bytes (PostgreSQL truncates longer identifiers)',
    );
  }
  if (s.includes('\0')) throw new InvalidPostgresOptionsError('schema', 'must not contain NUL');
  return s;
}

/** Checks that exactly one way to connect was given. */
export function checkConnection(o: PostgresConnectionOptions): void {
  const given = [o.connectionString, o.config, o.pool].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new InvalidPostgresOptionsError(
      'connectionString',
      'pass exactly one of `connectionString`, `config` or `pool`',
    );
  }
}

function positive(field: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) {
    throw new InvalidPostgresOptionsError(field, 'must be a positive number');
  }
  return v;
}

/** Applies defaults and validates; throws `InvalidPostgresOptionsError` naming the field. */
export function resolveOptions(o: PostgresBackendOptions): ResolvedOptions {
  checkConnection(o);
  return {
    schema: resolveSchema(o.schema),
    migrate: o.migrate ?? false,
    pollIntervalMs: positive('pollIntervalMs', o.pollIntervalMs, 5000),
    eventHistory: Math.floor(positive('eventHistory', o.eventHistory, 10_000)),
    poolSize: Math.floor(positive('poolSize', o.poolSize, 10)),
    queryTimeoutMs: Math.min(
      Math.floor(positive('queryTimeoutMs', o.queryTimeoutMs, 10_000)),
      2 ** 31 - 1,
    ),
    reconnectInitialMs: positive('reconnect.initialMs', o.reconnect?.initialMs, 100),
    reconnectMaxMs: positive('reconnect.maxMs', o.reconnect?.maxMs, 5000),
    vacuum: resolveVacuum(o.vacuum),
  };
}

function resolveVacuum(v: PostgresBackendOptions['vacuum']): VacuumPolicy | null {
  if (v === false) return null;
  if (v !== undefined && (typeof v !== 'object' || v === null)) {
    throw new InvalidPostgresOptionsError('vacuum', 'must be false or an object');
  }
  return {
    afterJobs: Math.ceil(positive('vacuum.afterJobs', v?.afterJobs, 5000)),
    minIntervalMs: nonNegative('vacuum.minIntervalMs', v?.minIntervalMs, 500),
  };
}

function nonNegative(field: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v < 0) {
    throw new InvalidPostgresOptionsError(field, 'must be a number >= 0');
  }
  return v;
}

/** The client config for a dedicated connection (LISTEN, migrations) from the options. */
export function clientConfigOf(o: PostgresConnectionOptions): ClientConfig {
  if (o.connectionString !== undefined) return { connectionString: o.connectionString };
  if (o.config !== undefined) return o.config;
  // The pool's options are the config it opens its clients with.
  return o.pool!.options;
}
