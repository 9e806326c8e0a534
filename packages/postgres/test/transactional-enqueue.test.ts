import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../src/sql/ident.js';
import { job, lease, never, settlesWithin, sql, svc, TestSchema } from './helpers.js';

const t = new TestSchema('tx');
let n = 0;
const qname = () => `q${++n}`;

describe.skipIf(svc.skip !== undefined)('postgres transactional enqueue', () => {
  const table = () => `${quoteIdent(t.schema)}.orders`;
  let pool: pg.Pool;

  beforeAll(async () => {
    await t.setup();
    await sql(`CREATE TABLE ${table()} (id text PRIMARY KEY)`);
    pool = new pg.Pool({ connectionString: svc.url });
  });
  afterAll(async () => {
    await pool.end();
    await t.teardown();
  });

  it('a job added inside the caller transaction commits with it, and wakes workers on commit', async () => {
    const b = await t.backend({ pool });
    const worker = await t.backend();
    const q = qname();
    await lease(worker, q);
    const waiting = worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${table()} (id) VALUES ('order-1')`);
      const [r] = await b.withClient(client).jobs.add(q, [job({ payload: '"order-1"' })]);
      expect(r!.status).toBe('added');
      // Not visible (nor counted, nor announced) before the commit.
      expect(await b.admin.get(q, r!.id)).toBeNull();
      expect(await b.admin.counts(q)).toMatchObject({ waiting: 0 });
      expect(await settlesWithin(waiting, 150)).toBe(false);
      await client.query('COMMIT');
      expect(await settlesWithin(waiting, 1000)).toBe(true);
      expect(await b.admin.get(q, r!.id)).toMatchObject({ state: 'waiting', payload: '"order-1"' });
      expect(await b.admin.counts(q)).toMatchObject({ waiting: 1 });
    } finally {
      client.release();
    }
  });

  it('an add on the caller client runs where it was called: before a ROLLBACK sent after it', async () => {
    const b = await t.backend({ pool });
    const q = qname();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Not awaited: the client queues its queries in call order, and the view must not
      // defer the add past the ROLLBACK (as merging adds of a tick would).
      const added = b.withClient(client).jobs.add(q, [job()]);
      await client.query('ROLLBACK');
      const [r] = await added;
      expect(await b.admin.get(q, r!.id)).toBeNull();
      expect(await b.admin.counts(q)).toMatchObject({ waiting: 0 });
    } finally {
      client.release();
    }
  });

  it('a rollback takes the job (and its dedup key) with the caller writes', async () => {
    const b = await t.backend({ pool });
    const q = qname();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO ${table()} (id) VALUES ('order-2')`);
      const view = b.withClient(client);
      const [r] = await view.jobs.add(q, [job({ dedup: { id: 'order-2' } })]);
      expect(r!.status).toBe('added');
      expect(await view.admin.get(q, r!.id)).toMatchObject({ state: 'waiting' });
      await client.query('ROLLBACK');
      expect(await b.admin.get(q, r!.id)).toBeNull();
      expect(await b.admin.counts(q)).toMatchObject({ waiting: 0 });
      expect(await b.admin.getDedupOwner(q, 'order-2')).toBeNull();
      expect(await sql(`SELECT 1 FROM ${table()} WHERE id = 'order-2'`)).toHaveLength(0);
    } finally {
      client.release();
    }
    // The caller's pool is theirs: closing the backend leaves it usable.
    await b.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
