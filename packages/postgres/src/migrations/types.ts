import type { SchemaNames } from '../sql/ident.js';

/**
 * One schema version. Migrations only ever add (tables, columns, indexes, functions):
 * none drops or rewrites user data. Each runs in the migrating transaction.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The DDL for the schema named by `n`. */
  sql(n: SchemaNames): string;
}
