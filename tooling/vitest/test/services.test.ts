import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { resolveService } from '../src/index.js';

// One small round trip per server proves the wiring every backend suite relies on.
describe('service wiring', () => {
  it('redis answers PING', async (ctx) => {
    const svc = await resolveService('redis');
    if (svc.skip !== undefined) return ctx.skip();
    const client = new Redis(svc.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('postgres answers SELECT 1', async (ctx) => {
    const svc = await resolveService('postgres');
    if (svc.skip !== undefined) return ctx.skip();
    const client = new pg.Client({ connectionString: svc.url });
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    expect(rows[0].one).toBe(1);
    await client.end();
  });

  it('mongo answers ping', async (ctx) => {
    const svc = await resolveService('mongo');
    if (svc.skip !== undefined) return ctx.skip();
    const client = new MongoClient(svc.url, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    await client.close();
  });

  it('mongo-java answers ping and reports wire version 17', async (ctx) => {
    const svc = await resolveService('mongo-java');
    if (svc.skip !== undefined) return ctx.skip();
    const client = new MongoClient(svc.url, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    const hello = await client.db('admin').command({ isMaster: 1 });
    expect(hello.maxWireVersion).toBe(17);
    await client.close();
  });

  it('amqp opens a channel', async (ctx) => {
    const svc = await resolveService('amqp');
    if (svc.skip !== undefined) return ctx.skip();
    const conn = await amqp.connect(svc.url);
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true });
    expect(q.queue).toMatch(/^amq\.gen-/);
    await conn.close();
  });
});
