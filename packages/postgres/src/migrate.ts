import pg from 'pg';
import { SchemaNotMigratedError } from './errors.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
import {
  checkConnection,
  clientConfigOf,
  type PostgresConnectionOptions,
  resolveSchema,
} from './options.js';
import { quoteLiteral, schemaNames } from './sql/ident.js';

/** Options of {@link migrate}. */
export interface MigrateOptions extends PostgresConnectionOptions {
  /** Stop at this version (for staged upgrades and tests). Default: the latest. */
  targetVersion?: number;
  /** Progress lines (one per applied migration). Default: silent. */
  log?: (line: string) => void;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  schema: string;
  /** The version found before migrating (0 = no schema). */
  from: number;
  /** The version after migrating. */
  to: number;
  /** Versions applied by this call (empty when already up to date). */
  applied: number[];
}

interface MigrationClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Brings the schema to the latest (or `targetVersion`) version: idempotent, additive
 * only, all pending versions in ONE transaction under a transaction-scoped advisory lock,
 * so concurrent migrators (many pods starting at once) apply each version exactly once.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  checkConnection(options);
  const schema = resolveSchema(options.schema);
  const target = options.targetVersion ?? LATEST_VERSION;
  if (options.pool) {
    const client = await options.pool.connect();
    try {
      return await migrateOn(client, schema, target, options.log);
    } finally {
      client.release();
    }
  }
  const client = new pg.Client(clientConfigOf(options));
  client.on('error', () => {});
  await client.connect();
  try {
    return await migrateOn(client, schema, target, options.log);
  } finally {
    await client.end().catch(() => {});
  }
}

async function migrateOn(
  client: MigrationClient,
  schema: string,
  target: number,
  log: ((line: string) => void) | undefined,
): Promise<MigrateResult> {
  const n = schemaNames(schema);
  await client.query('BEGIN');
  try {
    // Taken before CREATE SCHEMA: two first-time migrators would otherwise race on it.
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtext('mq:migrate'), hashtext(${quoteLiteral(schema)}))`,
    );
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${n.s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${n.schemaVersion} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const found = await client.query(
      `SELECT coalesce(max(version), 0) AS v FROM ${n.schemaVersion}`,
    );
    const from = Number(found.rows[0]?.v ?? 0);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= from || m.version > target) continue;
      await client.query(m.sql(n));
      await client.query(`INSERT INTO ${n.schemaVersion} (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
      log?.(`applied ${String(m.version).padStart(3, '0')}-${m.name} to schema "${schema}"`);
    }
    await client.query('COMMIT');
    return { schema, from, to: Math.max(from, applied.at(-1) ?? from), applied };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Reads the schema version; 0 when the schema or its version table does not exist. */
export async function readSchemaVersion(
  query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>,
  schema: string,
): Promise<number> {
  const n = schemaNames(schema);
  try {
    const res = await query(`SELECT coalesce(max(version), 0) AS v FROM ${n.schemaVersion}`);
    return Number(res.rows[0]?.v ?? 0);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === '3F000' || code === '42P01') return 0;
    throw err;
  }
}

/**
 * Throws unless the schema is at least at the version this package needs. A newer schema
 * is fine: migrations only add, so older processes keep working during a rolling deploy.
 */
export function assertSchemaVersion(schema: string, found: number): void {
  if (found < LATEST_VERSION) throw new SchemaNotMigratedError(schema, found, LATEST_VERSION);
}
