import { randomBytes } from 'node:crypto';
import { resolveService } from '@mq/test-services';
import pg from 'pg';
import {
  createPostgresBackend,
  migrate,
  type PostgresBackend,
  type PostgresBackendOptions,
} from '../src/index.js';
import { quoteIdent } from '../src/sql/ident.js';

/** The PostgreSQL server under test (or the reason the suites skip). */
export const svc = await resolveService('postgres');

/** A schema name no other test file uses. */
export function uniqueSchema(label: string): string {
  return `mq_t_${label}_${randomBytes(4).toString('hex')}`;
}

/** Runs one statement on a short-lived connection (setup, inspection, cleanup). */
export async function sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: svc.url });
  await c.connect();
  try {
    return (await c.query<R>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  if (svc.url === undefined) return;
  await sql(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
}

/** Backends of one test file, on one freshly migrated schema. */
export class TestSchema {
  readonly schema: string;
  private readonly opened: PostgresBackend[] = [];
  private migrated: Promise<unknown> | undefined;

  constructor(label: string) {
    this.schema = uniqueSchema(label);
  }

  /** Migrates the schema (once). */
  setup(): Promise<unknown> {
    this.migrated ??= migrate({ connectionString: svc.url!, schema: this.schema });
    return this.migrated;
  }

  /** A ready backend on the schema; closed by {@link teardown}. */
  async backend(over: Partial<PostgresBackendOptions> = {}): Promise<PostgresBackend> {
    await this.setup();
    const connect = over.pool || over.config ? {} : { connectionString: svc.url! };
    const b = createPostgresBackend({ ...connect, schema: this.schema, ...over });
    this.opened.push(b);
    await b.ready();
    return b;
  }

  /** Closes every backend and drops the schema. */
  async teardown(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((b) => b.close()));
    await dropSchema(this.schema);
  }
}

// The shorthands every backend's tests share, under the names these tests use.
export {
  addTasks as addAll,
  leaseJobs as lease,
  reserveAllInOrder as drainOrder,
  settlesWithin,
  taskJob as job,
} from '@mq/conformance';

/** Sleeps `ms` (short intervals only). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A signal that never aborts. */
export const never = (): AbortSignal => new AbortController().signal;
