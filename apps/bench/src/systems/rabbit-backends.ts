import { type Backend, backendFromUrl } from '@mq/core';
import amqp from 'amqplib';
import { AMQP_URL, POSTGRES_URL, REDIS_URL } from '../services.js';
import { withParam } from './open-by-url.js';
import { oursFactory } from './ours.js';
import { dropSchema, schemaName } from './pg-namespace.js';
import { deleteKeysWithPrefix } from './redis-namespace.js';
import type { SystemFactory } from './system.js';

// The store named in `?store=` is imported from here, where the store packages are this
// app's dependencies (pnpm's strict layout hides them from @mq/core and @mq/rabbit).
const load = (pkg: string) => import(pkg);

function openRabbit(url: string): Promise<Backend> {
  return backendFromUrl(url, { load }, load);
}

async function problem(url: string): Promise<string | null> {
  try {
    await (await openRabbit(url)).close();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Deletes every RabbitMQ queue the run's prefix names (the bench queue and its `.dead`). */
async function deleteRabbitQueues(url: string, prefix: string, runId: string): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const q of [`${prefix}.bench-${runId}`, `${prefix}.bench-${runId}.dead`]) {
      await ch.deleteQueue(q);
    }
  } finally {
    await conn.close();
  }
}

/** @mq/rabbit with the Redis store (`amqp://…?store=redis://…`), fresh prefixes per run. */
export function mqRabbitRedis(url = AMQP_URL, redisUrl = REDIS_URL): SystemFactory {
  const storeUrl = (prefix: string) => withParam(redisUrl, 'prefix', prefix);
  return oursFactory({
    id: 'mq-rabbit-redis',
    label: '@mq/rabbit + redis store',
    notes:
      '@mq/rabbit + redis store: `backendFromUrl("amqp://…?prefix=…&store=<redis://…?prefix=…>")`, ' +
      'quorum queue, confirms, prefetch = c; Queue and Worker share the backend; events on.',
    check: () => problem(withParam(url, 'store', storeUrl('bench:check'))),
    open: async (runId) => {
      const prefix = `bench.rr.${runId}`;
      const keys = `bench:rr:${runId}`;
      return {
        backend: await openRabbit(
          withParam(withParam(url, 'prefix', prefix), 'store', storeUrl(keys)),
        ),
        cleanup: async () => {
          await deleteRabbitQueues(url, prefix, runId);
          await deleteKeysWithPrefix(redisUrl, keys);
        },
      };
    },
  });
}

/** @mq/rabbit with the PostgreSQL store, a fresh schema per run. */
export function mqRabbitPostgres(url = AMQP_URL, pgUrl = POSTGRES_URL): SystemFactory {
  const storeUrl = (schema: string) =>
    withParam(withParam(pgUrl, 'schema', schema), 'migrate', 'true');
  return oursFactory({
    id: 'mq-rabbit-postgres',
    label: '@mq/rabbit + postgres store',
    notes:
      '@mq/rabbit + postgres store: `backendFromUrl("amqp://…?store=<postgres://…?schema=…>")`, ' +
      'quorum queue, confirms, prefetch = c; events on.',
    check: () => problem(withParam(url, 'store', storeUrl('bench_check'))),
    open: async (runId) => {
      const prefix = `bench.rp.${runId}`;
      const schema = schemaName('rp', runId);
      return {
        backend: await openRabbit(
          withParam(withParam(url, 'prefix', prefix), 'store', storeUrl(schema)),
        ),
        cleanup: async () => {
          await deleteRabbitQueues(url, prefix, runId);
          await dropSchema(pgUrl, schema);
        },
      };
    },
  });
}
