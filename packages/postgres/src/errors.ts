/**
 * Named errors of @mq/postgres. Each carries a stable `code` and a message that says
 * what to do next.
 */

import { MqError } from '@mq/core';

/**
 * Base class of every error this package throws on its own behalf: an `MqError`, so
 * callers (and the admin's HTTP mapping) branch on its stable `code`, e.g.
 * `MQ_PG_SCHEMA_OUTDATED`.
 */
export class PostgresBackendError extends MqError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'PostgresBackendError';
  }
}

/** The options passed to `createPostgresBackend` or `migrate` are unusable. */
export class InvalidPostgresOptionsError extends PostgresBackendError {
  /** The option at fault, e.g. `schema`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('MQ_PG_INVALID_OPTIONS', `Invalid @mq/postgres option "${field}": ${message}`);
    this.name = 'InvalidPostgresOptionsError';
    this.field = field;
  }
}

/**
 * The schema is missing or older than this package expects. Run the migrations
 * (`mq-postgres migrate`) or pass `migrate: true` to the backend.
 */
export class SchemaNotMigratedError extends PostgresBackendError {
  /** The schema version found in the database (0 when the schema does not exist). */
  readonly found: number;
  /** The version this package needs. */
  readonly expected: number;

  constructor(schema: string, found: number, expected: number, options?: { cause?: unknown }) {
    const what =
      found === 0
        ? `the @mq schema "${schema}" does not exist (or has no tables yet)`
        : `the @mq schema "${schema}" is at version ${found}, this package needs version ${expected}`;
    super(
      found === 0 ? 'MQ_PG_SCHEMA_MISSING' : 'MQ_PG_SCHEMA_OUTDATED',
      `${what}. Run \`npx mq-postgres migrate --url <connection string> --schema ${schema}\` ` +
        '(or call `migrate()` from @mq/postgres in your deploy step), or pass `migrate: true` ' +
        'to createPostgresBackend to migrate on start.',
      options,
    );
    this.name = 'SchemaNotMigratedError';
    this.found = found;
    this.expected = expected;
  }
}

/** An operation was called after `close()`. */
export class BackendClosedError extends PostgresBackendError {
  constructor(operation: string) {
    super(
      'MQ_PG_CLOSED',
      `@mq/postgres backend is closed; "${operation}" cannot run. Create a new backend.`,
    );
    this.name = 'BackendClosedError';
  }
}
