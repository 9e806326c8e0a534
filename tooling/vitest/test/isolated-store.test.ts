import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isolatedStore, resolveService } from '../src/index.js';

describe('isolatedStore', () => {
  it('redis: a ?prefix= of its own; cleanup deletes exactly its keys', async (ctx) => {
    const svc = await resolveService('redis');
    if (svc.skip !== undefined) return ctx.skip();
    const a = isolatedStore(svc.url, 'iso');
    const b = isolatedStore(svc.url, 'iso');
    expect(a.url).toContain(`prefix=${a.namespace}`);
    expect(a.namespace).not.toBe(b.namespace);
    const r = new Redis(svc.url);
    await r.set(`${a.namespace}:k`, '1');
    await r.set(`${b.namespace}:k`, '1');
    await a.cleanup();
    expect(await r.exists(`${a.namespace}:k`, `${b.namespace}:k`)).toBe(1);
    await b.cleanup();
    r.disconnect();
  });

  it('postgres: a migrated ?schema= of its own; cleanup drops it', async (ctx) => {
    const svc = await resolveService('postgres');
    if (svc.skip !== undefined) return ctx.skip();
    const s = isolatedStore(svc.url, 'iso');
    expect(s.url).toContain(`schema=${s.namespace}&migrate=true`);
    const c = new pg.Client({ connectionString: svc.url });
    await c.connect();
    await c.query(`CREATE SCHEMA "${s.namespace}"`);
    await s.cleanup();
    const { rows } = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [s.namespace]);
    expect(rows).toHaveLength(0);
    await c.end();
  });

  it('mongo: a database of its own in the URL path; cleanup drops it', async (ctx) => {
    const svc = await resolveService('mongo');
    if (svc.skip !== undefined) return ctx.skip();
    const s = isolatedStore(svc.url, 'iso');
    expect(new URL(s.url).pathname).toBe(`/${s.namespace}`);
    const client = new MongoClient(svc.url, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    await client.db(s.namespace).collection('x').insertOne({ a: 1 });
    await s.cleanup();
    const dbs = await client.db().admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).not.toContain(s.namespace);
    await client.close();
  });
});
