import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend, InvalidPostgresOptionsError } from '../src/index.js';
import type { PostgresBackend } from '../src/index.js';
import { quoteIdent, quoteLiteral, schemaNames } from '../src/sql/ident.js';
import { addAll, lease, sleep, sql, svc, TestSchema } from './helpers.js';

/** Manual VACUUMs of the schema's `jobs` table so far (autovacuum runs are not counted). */
async function vacuums(schema: string): Promise<number> {
  const [row] = await sql<{ n: string }>(
    `SELECT pg_stat_get_vacuum_count(${quoteLiteral(schemaNames(schema).jobs)}::regclass) AS n`,
  );
  return Number(row!.n);
}

/** Adds `count` jobs to `queue` and completes them, in settle batches of 50. */
async function runJobs(b: PostgresBackend, queue: string, count: number): Promise<void> {
  await addAll(
    b,
    queue,
    Array.from({ length: count }, () => ({})),
  );
  for (;;) {
    const leased = await lease(b, queue, 50);
    if (leased.length === 0) return;
    const { results } = await b.jobs.settle(
      queue,
      leased.map((r) => ({ kind: 'completed', jobId: r.job.id, token: r.token, result: '1' })),
    );
    expect(results.every((r) => r === 'ok')).toBe(true);
  }
}

async function vacuumedWithin(schema: string, ms: number): Promise<number> {
  const until = Date.now() + ms;
  for (;;) {
    const n = await vacuums(schema);
    if (n > 0 || Date.now() > until) return n;
    await sleep(50);
  }
}

describe.skipIf(svc.skip !== undefined)('postgres housekeeping vacuum', () => {
  const on = new TestSchema('vac_on');
  const off = new TestSchema('vac_off');
  const shared = new TestSchema('vac_shared');
  const pair = new TestSchema('vac_pair');
  const held = new TestSchema('vac_held');
  const all = [on, off, shared, pair, held];
  beforeAll(() => Promise.all(all.map((t) => t.setup())));
  afterAll(() => Promise.all(all.map((t) => t.teardown())));

  it('vacuums jobs in the background once enough jobs were settled', async () => {
    const b = await on.backend({ vacuum: { afterJobs: 100, minIntervalMs: 0 } });
    await runJobs(b, 'q', 60);
    // 60 settled jobs are below the threshold: nothing ran.
    await sleep(200);
    expect(await vacuums(on.schema)).toBe(0);
    await runJobs(b, 'q', 60);
    expect(await vacuumedWithin(on.schema, 10_000)).toBeGreaterThanOrEqual(1);
    // Vacuum ran beside the hot path: the jobs are all there, completed.
    expect(await b.admin.counts('q')).toMatchObject({ completed: 120, active: 0 });
    expect(b.vacuum).toMatchObject({ state: 'on', runs: 1, lastError: undefined });
    expect(b.vacuum.lastMs).toBeGreaterThanOrEqual(0);
  });

  it('turns itself off for a role that does not own jobs, and the work goes on', async () => {
    const role = `mq_vac_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(8).toString('hex');
    const s = quoteIdent(shared.schema);
    await sql(`CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    try {
      await sql(`GRANT USAGE ON SCHEMA ${s} TO ${quoteIdent(role)};
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${quoteIdent(role)};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${quoteIdent(role)}`);
      const url = new URL(svc.url!);
      url.username = role;
      url.password = password;
      const b = createPostgresBackend({
        connectionString: url.href,
        schema: shared.schema,
        vacuum: { afterJobs: 50, minIntervalMs: 0 },
      });
      try {
        await b.ready();
        await runJobs(b, 'q', 120);
        for (let i = 0; i < 100 && b.vacuum.state === 'on'; i++) await sleep(20);
        expect(b.vacuum).toMatchObject({ state: 'not-owner', runs: 0 });
        expect(await b.admin.counts('q')).toMatchObject({ completed: 120 });
      } finally {
        await b.close();
      }
      expect(await vacuums(shared.schema)).toBe(0);
    } finally {
      await sql(`DROP OWNED BY ${quoteIdent(role)}; DROP ROLE ${quoteIdent(role)}`);
    }
  });

  it('two backends over the threshold at once: each run counted is a vacuum that ran', async () => {
    const policy = { vacuum: { afterJobs: 40, minIntervalMs: 0 } } as const;
    const [one, two] = [await pair.backend(policy), await pair.backend(policy)];
    await Promise.all([runJobs(one!, 'a', 200), runJobs(two!, 'b', 200)]);
    await Promise.all([one!.close(), two!.close()]);
    const ran = await vacuums(pair.schema);
    expect(ran).toBeGreaterThanOrEqual(1);
    // A vacuum that met the other's skips (SKIP_LOCKED) and is not counted.
    expect(one!.vacuum.runs + two!.vacuum.runs).toBe(ran);
  });

  it('skips while another vacuum holds the table, and does not count the skip', async () => {
    const b = await held.backend({ vacuum: { afterJobs: 50, minIntervalMs: 0 } });
    const locker = new pg.Client({ connectionString: svc.url });
    await locker.connect();
    try {
      // The lock a running VACUUM (or autovacuum) holds.
      await locker.query('BEGIN');
      await locker.query(
        `LOCK TABLE ${schemaNames(held.schema).jobs} IN SHARE UPDATE EXCLUSIVE MODE`,
      );
      await runJobs(b, 'q', 60);
      await sleep(300);
      expect(b.vacuum).toMatchObject({ state: 'on', runs: 0 });
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    await runJobs(b, 'q', 60);
    for (let i = 0; i < 100 && b.vacuum.runs === 0; i++) await sleep(20);
    expect(b.vacuum.runs).toBe(1);
    expect(await vacuums(held.schema)).toBe(1);
  });

  it('leaves the table to autovacuum with vacuum: false', async () => {
    const b = await off.backend({ vacuum: false });
    await runJobs(b, 'q', 300);
    await sleep(500);
    expect(await vacuums(off.schema)).toBe(0);
    expect(b.vacuum.state).toBe('off');
  });

  it('rejects unusable vacuum options, naming the field', () => {
    const make = (vacuum: unknown) => () =>
      createPostgresBackend({
        connectionString: svc.url!,
        vacuum: vacuum as { afterJobs: number },
      });
    expect(make({ afterJobs: 0 })).toThrow(InvalidPostgresOptionsError);
    expect(make({ afterJobs: 0 })).toThrow(/vacuum\.afterJobs/);
    expect(make({ minIntervalMs: -1 })).toThrow(/vacuum\.minIntervalMs/);
    expect(make('often')).toThrow(/"vacuum"/);
  });
});
