import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, type PostgresBackend } from '../src/index.js';
import { quoteIdent } from '../src/sql/ident.js';
import { addAll, dropSchema, job, lease, sql, svc, uniqueSchema } from './helpers.js';

/**
 * Managed PostgreSQL services seldom hand out superuser roles: everything, migrations
 * included, must work for a role that may only create schemas in its database.
 */
describe.skipIf(svc.skip !== undefined)('postgres with a role that is not a superuser', () => {
  const role = `mq_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(8).toString('hex');
  const schema = uniqueSchema('lp');
  let backend: PostgresBackend;

  beforeAll(async () => {
    const [{ db }] = (await sql<{ db: string }>('SELECT current_database() AS db')) as [
      { db: string },
    ];
    await sql(`CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    await sql(`GRANT CREATE ON DATABASE ${quoteIdent(db)} TO ${quoteIdent(role)}`);
    const url = new URL(svc.url as string);
    url.username = role;
    url.password = password;
    backend = createPostgresBackend({ connectionString: url.href, schema, migrate: true });
    await backend.ready();
  });

  afterAll(async () => {
    await backend?.close();
    await dropSchema(schema);
    const [{ db }] = (await sql<{ db: string }>('SELECT current_database() AS db')) as [
      { db: string },
    ];
    await sql(`REVOKE CREATE ON DATABASE ${quoteIdent(db)} FROM ${quoteIdent(role)}`);
    await sql(`DROP ROLE ${quoteIdent(role)}`);
  });

  it('migrates, adds, claims and settles with exact counts', async () => {
    const q = 'q';
    await addAll(backend, q, [{}, {}, {}, { delay: 60_000 }, { dedup: { id: 'd1' } }]);
    const [a, b, c] = await lease(backend, q, 3);
    const { results } = await backend.jobs.settle(q, [
      { kind: 'completed', jobId: a!.job.id, token: a!.token },
      { kind: 'failed', jobId: b!.job.id, token: b!.token, error: { name: 'E', message: 'x' } },
      { kind: 'released', jobId: c!.job.id, token: c!.token },
    ]);
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(await backend.admin.counts(q)).toEqual({
      waiting: 2,
      delayed: 1,
      active: 0,
      completed: 1,
      failed: 1,
    });
  });

  it("counts the caller's own statements after an add in the same transaction", async () => {
    const q = 'tx';
    const client = await backend.pool.connect();
    try {
      await client.query('BEGIN');
      const view = backend.withClient(client);
      const [added] = await view.jobs.add(q, [job()]);
      // Counted by the triggers, not skipped as if the add's inline counting still held.
      expect(await view.admin.remove(q, [added!.id])).toEqual([added!.id]);
      await client.query(`DELETE FROM ${quoteIdent(schema)}.jobs WHERE queue = 'none'`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await backend.admin.counts(q)).toMatchObject({ waiting: 0 });
    expect(await backend.admin.get(q, '1')).toBeNull();
  });

  it('is not a superuser', async () => {
    const c = new pg.Client({ connectionString: backend.pool.options.connectionString });
    await c.connect();
    const { rows } = await c.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    await c.end();
    expect(rows[0].rolsuper).toBe(false);
  });
});
