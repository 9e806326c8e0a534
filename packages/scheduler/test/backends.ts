import { randomBytes } from 'node:crypto';
import type { SchedulerConformanceOptions } from '@mq/conformance/scheduler';
import type { Backend } from '@mq/core';
import { createPostgresBackend } from '@mq/postgres';
import { createRedisBackend } from '@mq/redis';
import { Scheduler } from '../src/index.js';

/** A backend factory plus the CLI flags that point `mq-scheduler` at the same store. */
export interface BackendUnderTest {
  create: () => Promise<Backend>;
  cliArgs: string[];
  cleanup: () => Promise<void>;
}

/** Redis under a unique key prefix (its keys deleted by `cleanup`). */
export function redisUnderTest(url: string): BackendUnderTest {
  const prefix = `mqs-${randomBytes(4).toString('hex')}`;
  return {
    create: async () => createRedisBackend({ url, prefix }),
    cliArgs: ['--backend', `${url}?prefix=${prefix}`],
    cleanup: async () => {
      const backend = createRedisBackend({ url, prefix });
      await backend.ready();
      let cursor = '0';
      do {
        const [next, keys] = await backend.client.scan(
          cursor,
          'MATCH',
          `${prefix}:*`,
          'COUNT',
          1000,
        );
        cursor = next;
        if (keys.length > 0) await backend.client.unlink(...keys);
      } while (cursor !== '0');
      await backend.close();
    },
  };
}

/** PostgreSQL in a unique, migrated schema (dropped by `cleanup`). */
export function postgresUnderTest(url: string): BackendUnderTest {
  const schema = `mqs_${randomBytes(4).toString('hex')}`;
  return {
    create: async () => createPostgresBackend({ connectionString: url, schema, migrate: true }),
    cliArgs: ['--backend', `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`],
    cleanup: async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** The Scheduler as the scheduler suite drives it: short scan, no retention sweeps. */
export const createTestScheduler: SchedulerConformanceOptions['createScheduler'] = (backend, o) =>
  new Scheduler({
    backend,
    queues: o.queues,
    scanIntervalMs: 50,
    ...(o.missedTicks ? { missedTicks: o.missedTicks } : {}),
    stalled: o.stalledIntervalMs ? { intervalMs: o.stalledIntervalMs } : false,
    retention: o.retentionIntervalMs ? { intervalMs: o.retentionIntervalMs } : false,
    heartbeatIntervalMs: 1000,
  });
