import type { createMemoryBackend } from '@mq/memory';
import type { createPostgresBackend } from '@mq/postgres';
import type { createRedisBackend } from '@mq/redis';
import { POSTGRES_URL, REDIS_URL } from '../services.js';
import { factoryProblem, loadFactory } from './load-factory.js';
import { type OursSpec, oursFactory } from './ours.js';
import { dropSchema, pgServerInfo, schemaName } from './pg-namespace.js';
import { deleteKeysWithPrefix, redisVersion } from './redis-namespace.js';
import type { SystemFactory } from './system.js';

/** @mq/memory: one backend instance per run, shared by the Queue and the Worker. */
export function mqMemory(): SystemFactory {
  const spec: OursSpec = {
    id: 'mq-memory',
    label: '@mq/memory',
    notes: '@mq/memory: `createMemoryBackend()` with defaults; Queue and Worker share it.',
    check: () => factoryProblem('@mq/memory', 'createMemoryBackend'),
    open: async () => {
      const create = await loadFactory<typeof createMemoryBackend>(
        '@mq/memory',
        'createMemoryBackend',
      );
      return { backend: create(), cleanup: async () => {} };
    },
  };
  return oursFactory(spec);
}

/** @mq/redis with a fresh key prefix per run, deleted afterwards. */
export function mqRedis(url = REDIS_URL): SystemFactory {
  const spec: OursSpec = {
    id: 'mq',
    label: '@mq/redis',
    notes:
      '@mq/redis: `createRedisBackend({ url, prefix })`, one backend (its own ioredis ' +
      'connections) shared by the Queue and the Worker; Worker `concurrency` = c; events on.',
    check: async () =>
      (await redisVersion(url)) === null
        ? `redis at ${url} does not answer`
        : factoryProblem('@mq/redis', 'createRedisBackend'),
    open: async (runId) => {
      const create = await loadFactory<typeof createRedisBackend>(
        '@mq/redis',
        'createRedisBackend',
      );
      const prefix = `bench:mq:${runId}`;
      return {
        backend: create({ url, prefix }),
        cleanup: () => deleteKeysWithPrefix(url, prefix),
      };
    },
  };
  return oursFactory(spec);
}

/** @mq/postgres in a fresh schema per run (migrated on open), dropped afterwards. */
export function mqPostgres(url = POSTGRES_URL): SystemFactory {
  const spec: OursSpec = {
    id: 'mq',
    label: '@mq/postgres',
    notes:
      '@mq/postgres: `createPostgresBackend({ connectionString, schema, migrate: true })` ' +
      'with its default pool, one backend shared by the Queue and the Worker; Worker ' +
      '`concurrency` = c; events on.',
    check: async () =>
      (await pgServerInfo(url)) === null
        ? `postgres at ${url} does not answer`
        : factoryProblem('@mq/postgres', 'createPostgresBackend'),
    open: async (runId) => {
      const create = await loadFactory<typeof createPostgresBackend>(
        '@mq/postgres',
        'createPostgresBackend',
      );
      const schema = schemaName('mq', runId);
      return {
        backend: create({ connectionString: url, schema, migrate: true }),
        cleanup: () => dropSchema(url, schema),
      };
    },
  };
  return oursFactory(spec);
}
