import { randomBytes } from 'node:crypto';
import type { Backend } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { createPostgresBackend, migrate } from '@mq/postgres';
import { createRedisBackend } from '@mq/redis';
import { resolveService } from '@mq/test-services';
import amqplib from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  createRabbitBackend,
  type RabbitBackend,
  type RabbitBackendOptions,
} from '../src/index.js';

/** The broker under test (or the reason the suites skip). */
export const amqp = await resolveService('amqp');
export const redisSvc = await resolveService('redis');
export const pgSvc = await resolveService('postgres');

/** A name no other test run uses (queue-name prefix, key prefix, schema). */
export function unique(label: string): string {
  return `mqt_${label}_${randomBytes(4).toString('hex')}`;
}

/** The stores the tests compose with RabbitMQ. */
export type StoreKind = 'memory' | 'redis' | 'postgres';

/** A store factory on an isolated namespace, plus its cleanup. */
export interface StoreFixture {
  create: () => Promise<Backend>;
  cleanup: () => Promise<void>;
}

/** An isolated store of `kind` (memory: a fresh one per call; the others: one namespace). */
export function storeFixture(kind: StoreKind): StoreFixture {
  if (kind === 'memory') {
    return { create: async () => createMemoryBackend(), cleanup: async () => undefined };
  }
  if (kind === 'redis') {
    const prefix = unique('rs');
    const url = redisSvc.url ?? '';
    return {
      create: async () => createRedisBackend({ url, prefix }),
      cleanup: async () => {
        const r = new Redis(url);
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await r.unlink(...keys);
        } while (cursor !== '0');
        r.disconnect();
      },
    };
  }
  const schema = unique('ps');
  const url = pgSvc.url ?? '';
  let migrated: Promise<unknown> | undefined;
  return {
    create: async () => {
      migrated ??= migrate({ connectionString: url, schema });
      await migrated;
      return createPostgresBackend({ connectionString: url, schema });
    },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

/** Why a store's suites skip, if they do. */
export function skipReason(kind: StoreKind): string | undefined {
  if (amqp.skip !== undefined) return amqp.skip;
  if (kind === 'redis') return redisSvc.skip;
  if (kind === 'postgres') return pgSvc.skip;
  return undefined;
}

/** Every RabbitMQ queue a test backend named, so the shared broker is left clean. */
const named = new Set<string>();

/** A RabbitMQ backend on the test broker over `store`, which it closes. */
export function rabbit(
  store: Backend,
  prefix: string,
  over: Partial<RabbitBackendOptions> = {},
): RabbitBackend {
  const b = createRabbitBackend({ url: amqp.url ?? '', store, ownsStore: true, prefix, ...over });
  // Records the names the backend derives (it asks `topology` before any declaration).
  const topology = b.topology.bind(b);
  (b as { topology: RabbitBackend['topology'] }).topology = (queue) => {
    const t = topology(queue);
    named.add(t.main);
    named.add(t.dead);
    return t;
  };
  return b;
}

/**
 * Deletes every queue the tests' backends named on the shared broker (obliterate deletes
 * them too; this catches those a test left behind, e.g. after a cut connection).
 */
export async function deleteNamedQueues(): Promise<void> {
  if (amqp.url === undefined || named.size === 0) return;
  const conn = await amqplib.connect(amqp.url);
  try {
    const ch = await conn.createChannel();
    for (const q of named) await ch.deleteQueue(q);
    named.clear();
  } finally {
    await conn.close();
  }
}

/** Sleeps `ms` (short intervals only). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
