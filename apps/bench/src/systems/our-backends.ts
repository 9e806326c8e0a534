import { POSTGRES_URL, REDIS_URL } from '../services.js';
import { backendProblem, openByUrl, withParam } from './open-by-url.js';
import { type OursSpec, oursFactory } from './ours.js';
import { dropSchema, pgServerInfo, schemaName } from './pg-namespace.js';
import { deleteKeysWithPrefix, redisVersion } from './redis-namespace.js';
import type { SystemFactory } from './system.js';

/** @mq/memory: one backend instance per run, shared by the Queue and the Worker. */
export function mqMemory(): SystemFactory {
  const spec: OursSpec = {
    id: 'mq-memory',
    label: '@mq/memory',
    notes: '@mq/memory: `backendFromUrl("memory:")` with defaults; Queue and Worker share it.',
    check: () => backendProblem('memory:'),
    open: async () => ({ backend: await openByUrl('memory:'), cleanup: async () => {} }),
  };
  return oursFactory(spec);
}

/** @mq/redis with a fresh key prefix per run, deleted afterwards. */
export function mqRedis(url = REDIS_URL): SystemFactory {
  const spec: OursSpec = {
    id: 'mq',
    label: '@mq/redis',
    notes:
      '@mq/redis: `backendFromUrl("redis://…?prefix=…")`, one backend (its own ioredis ' +
      'connections) shared by the Queue and the Worker; Worker `concurrency` = c; events on.',
    check: async () =>
      (await redisVersion(url)) === null
        ? `redis at ${url} does not answer`
        : backendProblem(withParam(url, 'prefix', 'bench:check')),
    open: async (runId) => {
      const prefix = `bench:mq:${runId}`;
      return {
        backend: await openByUrl(withParam(url, 'prefix', prefix)),
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
      '@mq/postgres: `backendFromUrl("postgres://…?schema=…&migrate=true")` with its ' +
      'default pool, one backend shared by the Queue and the Worker; Worker `concurrency` = ' +
      'c; events on.',
    check: async () =>
      (await pgServerInfo(url)) === null
        ? `postgres at ${url} does not answer`
        : backendProblem(withParam(url, 'schema', 'bench_check')),
    open: async (runId) => {
      const schema = schemaName('mq', runId);
      return {
        backend: await openByUrl(withParam(withParam(url, 'schema', schema), 'migrate', 'true')),
        cleanup: () => dropSchema(url, schema),
      };
    },
  };
  return oursFactory(spec);
}
