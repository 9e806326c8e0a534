import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';

/** A namespace of its own on a shared server, as a backend URL, and how to delete it. */
export interface IsolatedStore {
  /** The backend URL with the namespace in it (`?prefix=`, `?schema=&migrate=true`, …). */
  url: string;
  /** The namespace: a Redis key prefix, a PostgreSQL schema, a MongoDB database. */
  namespace: string;
  /** Deletes everything under the namespace (idempotent). */
  cleanup(): Promise<void>;
}

const withParam = (url: string, query: string) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

/**
 * A fresh namespace on the server at `url` — what every test file and benchmark run
 * needs so suites can share servers and run in parallel: a key prefix on Redis (keys
 * deleted by SCAN + UNLINK), a migrated schema on PostgreSQL (dropped), a database on a
 * MongoDB-wire server (dropped). `label` makes the namespace readable in a server.
 */
export function isolatedStore(url: string, label = 't'): IsolatedStore {
  const id = `${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(5).toString('hex')}`;
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') {
    const prefix = `mqtest:${id}`;
    return {
      url: withParam(url, `prefix=${prefix}`),
      namespace: prefix,
      cleanup: () => unlinkPrefix(url, prefix),
    };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const schema = `mq_t_${id}`.toLowerCase();
    return {
      url: withParam(url, `schema=${schema}&migrate=true`),
      namespace: schema,
      cleanup: () => dropSchema(url, schema),
    };
  }
  if (scheme === 'mongodb' || scheme === 'mongodb+srv') {
    const db = `mq_t_${id}`;
    const parsed = new URL(url);
    parsed.pathname = `/${db}`;
    return { url: parsed.toString(), namespace: db, cleanup: () => dropDatabase(url, db) };
  }
  throw new Error(`isolatedStore: no namespace for ${scheme}: URLs`);
}

async function unlinkPrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(url: string, db: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    await client.db(db).dropDatabase();
  } finally {
    await client.close();
  }
}
