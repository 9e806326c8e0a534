import pg from 'pg';
import type { CustomTypesConfig, Pool, QueryResultRow } from 'pg';
import { SchemaNotMigratedError } from './errors.js';
import { shortHash } from './sql/ident.js';

/** Anything that runs a query: a `Pool`, a `Client` or a checked-out `PoolClient`. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(config: {
    name?: string;
    text: string;
    values?: unknown[];
    types?: CustomTypesConfig;
    query_timeout?: number;
  }): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A named SQL text: prepared once per connection, then only bound and executed. */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

/** Declares a statement; its name is derived from the text, so it never collides. */
export function statement(text: string): Statement {
  return { name: `mq_${shortHash(text, 16)}`, text };
}

// bigint columns hold ms timestamps and counters, all far below 2^53: parse them as
// numbers. Per query, so the caller's pool keeps its own type parsers.
const INT8_OID = 20;
const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as CustomTypesConfig['getTypeParser'],
};

/** Deadlock detected: PostgreSQL rolled the statement back, so running it again is safe. */
const DEADLOCK = '40P01';
/** Runs of a statement that PostgreSQL chose as a deadlock victim, in all. */
const DEADLOCK_TRIES = 3;

// Missing schema, table or function: the schema was not migrated.
const SCHEMA_MISSING_CODES = new Set(['3F000', '42P01', '42883', '42704']);

/** How a `Db` runs its statements. */
export interface DbOptions {
  schema: string;
  expectedVersion: number;
  /** Throws when the owner is closed (checked before every query). Default: never. */
  guard?: (operation: string) => void;
  /**
   * Whether each query is its own transaction (a pool), so a deadlock victim may simply
   * run again. Not inside a caller's transaction: a deadlock aborts all of it. Default false.
   */
  autocommit?: boolean;
  /** Client-side deadline of each query, in ms (see `queryTimeoutMs`). Default none. */
  queryTimeoutMs?: number;
}

/** Runs the package's statements on one `Queryable`, mapping "schema missing" errors. */
export class Db {
  private readonly guard: (operation: string) => void;

  constructor(
    readonly exec: Queryable,
    private readonly o: DbOptions,
  ) {
    this.guard = o.guard ?? (() => {});
  }

  /**
   * Runs a prepared statement and returns its rows. In autocommit, a statement chosen as
   * a deadlock victim runs again (up to 3 runs): two statements of one worker (a lease
   * renewal and a settle of the same jobs) may lock rows in different orders.
   */
  async rows<R extends QueryResultRow>(stmt: Statement, values: unknown[]): Promise<R[]> {
    this.guard('query');
    for (let run = 1; ; run++) {
      try {
        const res = await this.exec.query<R>({
          name: stmt.name,
          text: stmt.text,
          values,
          types,
          ...(this.o.queryTimeoutMs ? { query_timeout: this.o.queryTimeoutMs } : {}),
        });
        return res.rows;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (!(this.o.autocommit && code === DEADLOCK && run < DEADLOCK_TRIES))
          throw this.mapError(err);
        this.guard('query');
      }
    }
  }

  private mapError(err: unknown): unknown {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && SCHEMA_MISSING_CODES.has(code)) {
      return new SchemaNotMigratedError(this.o.schema, 0, this.o.expectedVersion, { cause: err });
    }
    return err;
  }
}

/** The pool the backend uses, and whether it must end it on close. */
export interface PoolHandle {
  pool: Pool;
  owned: boolean;
}

/** Opens a pool from the options, or adopts the caller's (which is never ended by us). */
export function openPool(
  o: { connectionString?: string; config?: pg.PoolConfig; pool?: Pool },
  poolSize: number,
  connectTimeoutMs: number,
): PoolHandle {
  if (o.pool) return { pool: o.pool, owned: false };
  const pool = new pg.Pool({
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    ...(o.connectionString !== undefined ? { connectionString: o.connectionString } : o.config),
  });
  // An idle client whose server went away emits 'error' on the pool; without a listener
  // that would crash the process. The next query simply opens a fresh connection.
  pool.on('error', () => {});
  return { pool, owned: true };
}
