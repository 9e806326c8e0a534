import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createPostgresBackend,
  migrate,
  SCHEMA_VERSION,
  SchemaNotMigratedError,
} from '../src/index.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { quoteIdent, schemaNames } from '../src/sql/ident.js';
import { dropSchema, job, sql, svc, uniqueSchema } from './helpers.js';

const run = promisify(execFile);
const schemas: string[] = [];
const fresh = (label: string) => {
  const s = uniqueSchema(label);
  schemas.push(s);
  return s;
};

describe.skipIf(svc.skip !== undefined)('postgres migrations', () => {
  const url = svc.url!;
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it('has at least two versions, numbered 1..n in order', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('never drops or truncates anything', () => {
    const n = schemaNames('probe');
    for (const m of MIGRATIONS) {
      expect(m.sql(n)).not.toMatch(/\b(DROP|TRUNCATE)\b/i);
      expect(m.sql(n)).not.toMatch(/ALTER\s+TABLE[^;]*\b(DROP|TYPE)\b/i);
    }
  });

  it('applies every version, and re-applying is a no-op', async () => {
    const schema = fresh('mig');
    const first = await migrate({ connectionString: url, schema });
    expect(first).toMatchObject({ from: 0, to: SCHEMA_VERSION });
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    const again = await migrate({ connectionString: url, schema });
    expect(again).toEqual({ schema, from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
    const rows = await sql<{ version: number }>(
      `SELECT version FROM ${quoteIdent(schema)}.schema_version ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('upgrades an older schema without touching its data', async () => {
    const schema = fresh('upg');
    await migrate({ connectionString: url, schema, targetVersion: 1 });
    const b = createPostgresBackend({ connectionString: url, schema });
    try {
      const err = await b.ready().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaNotMigratedError);
      expect(err).toMatchObject({ code: 'MQ_PG_SCHEMA_OUTDATED', found: 1 });
      expect((err as Error).message).toMatch(/mq-postgres migrate/);
      // Version 1 already holds jobs: add one before upgrading.
      const [added] = await b.jobs.add('q', [job({ payload: '"keep me"' })]);
      const upgraded = await migrate({ connectionString: url, schema });
      expect(upgraded).toMatchObject({ from: 1, to: SCHEMA_VERSION });
      expect(upgraded.applied).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      await b.ready();
      expect(await b.admin.get('q', added!.id)).toMatchObject({ payload: '"keep me"' });
    } finally {
      await b.close();
    }
  });

  it('ready() refuses a missing schema with a typed error naming the command', async () => {
    const schema = fresh('missing');
    const b = createPostgresBackend({ connectionString: url, schema });
    try {
      const err = await b.ready().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaNotMigratedError);
      expect(err).toMatchObject({ code: 'MQ_PG_SCHEMA_MISSING', found: 0 });
      expect((err as Error).message).toContain(`--schema ${schema}`);
      // Operations before migrating say the same, not "relation does not exist".
      await expect(b.admin.counts('q')).rejects.toBeInstanceOf(SchemaNotMigratedError);
    } finally {
      await b.close();
    }
  });

  it('migrate: true migrates on start; concurrent starters apply each version once', async () => {
    const schema = fresh('auto');
    const backends = Array.from({ length: 5 }, () =>
      createPostgresBackend({ connectionString: url, schema, migrate: true }),
    );
    try {
      await Promise.all(backends.map((b) => b.ready()));
      const rows = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.schema_version`,
      );
      expect(rows[0]!.n).toBe(SCHEMA_VERSION);
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  });

  it('quotes any schema name', async () => {
    const schema = fresh(`Odd "name"; $mq$`);
    await migrate({ connectionString: url, schema });
    const b = createPostgresBackend({ connectionString: url, schema });
    try {
      await b.ready();
      const [r] = await b.jobs.add('q', [job()]);
      expect(r!.status).toBe('added');
      expect(await b.admin.counts('q')).toMatchObject({ waiting: 1 });
    } finally {
      await b.close();
    }
  });

  it('the mq-postgres CLI migrates, then reports up to date', async () => {
    const schema = fresh('cli');
    // The published bin (package.json "bin"): built by `pnpm build`, which runs before tests.
    const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    expect(existsSync(cli), `${cli} is missing: run pnpm --filter @mq/postgres build`).toBe(true);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const args = [cli];
    const first = await run(process.execPath, [
      ...args,
      'migrate',
      '--url',
      url,
      '--schema',
      schema,
    ]);
    expect(first.stdout).toContain(`migrated from version 0 to ${SCHEMA_VERSION}`);
    const again = await run(process.execPath, [
      ...args,
      'migrate',
      '--url',
      url,
      '--schema',
      schema,
    ]);
    expect(again.stdout).toContain('up to date');
    const status = await run(process.execPath, [
      ...args,
      'status',
      '--url',
      url,
      '--schema',
      schema,
    ]);
    expect(status.stdout).toContain(`version ${SCHEMA_VERSION}`);
  });
});
