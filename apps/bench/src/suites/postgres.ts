import type { Suite } from '../harness/scenario.js';
import { postgresCpu } from '../harness/server-cpu.js';
import { POSTGRES_URL, redactUrl } from '../services.js';
import { bullmqPostgres } from '../systems/bullmq-postgres.js';
import { graphileWorker } from '../systems/graphile-worker.js';
import { mqPostgres } from '../systems/our-backends.js';
import { pgServerInfo } from '../systems/pg-namespace.js';
import { pgBoss } from '../systems/pg-boss.js';
import { COMMON_NOTES } from './redis.js';
import { addBulk, addSingle, drain, latency } from './scenarios.js';

/** @mq/postgres against BullMQ-on-Postgres, pg-boss and graphile-worker (issue 5). */
export function postgresSuite(o: {
  jobs: number;
  concurrency: number[];
  samples: number;
  timeoutMs: number;
}): Suite {
  return {
    name: 'postgres',
    title: '@mq/postgres vs BullMQ (pg), pg-boss and graphile-worker on the same PostgreSQL',
    systems: [mqPostgres(), bullmqPostgres(), pgBoss(), graphileWorker()],
    scenarios: [
      addSingle(o.jobs, 10, o.timeoutMs),
      addBulk(o.jobs, 1000, o.timeoutMs),
      ...o.concurrency.map((c) => drain(o.jobs, c, o.timeoutMs, o.jobs, undefined, postgresCpu)),
      latency(o.samples, o.timeoutMs),
    ],
    servers: async () => [
      `${(await pgServerInfo(POSTGRES_URL)) ?? 'PostgreSQL (down)'} at ${redactUrl(POSTGRES_URL)}`,
    ],
    notes: COMMON_NOTES,
  };
}

/** Jobs the scale scenario drains, and the two backlogs it drains them from. */
export const SCALE = { drained: 10_000, small: 10_000, large: 1_000_000, concurrency: 100 };

/**
 * @mq/postgres alone: drain throughput with 1,000,000 jobs waiting vs 10,000 waiting
 * (issue 5: within 20%). Each run fills the backlog in bulk, then times the first 10,000.
 */
export function scaleSuite(o: { timeoutMs: number }): Suite {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const label = (w: number) =>
    `drain ${fmt(SCALE.drained)} of ${fmt(w)} waiting, c=${SCALE.concurrency}`;
  return {
    name: 'postgres-scale',
    title: '@mq/postgres: drain throughput with 1,000,000 vs 10,000 jobs waiting',
    systems: [mqPostgres()],
    scenarios: [
      drain(SCALE.drained, SCALE.concurrency, o.timeoutMs, SCALE.small, label(SCALE.small)),
      drain(SCALE.drained, SCALE.concurrency, o.timeoutMs, SCALE.large, label(SCALE.large)),
    ],
    servers: async () => [
      `${(await pgServerInfo(POSTGRES_URL)) ?? 'PostgreSQL (down)'} at ${redactUrl(POSTGRES_URL)}`,
    ],
    notes: [
      'The backlog is added in bulk (batches of 1,000, untimed), then one Worker at c=100 is ' +
        'timed from its first processor call to the 10,000th completion.',
      'Target (issue 5): the 1,000,000 figure within 20% of the 10,000 figure.',
    ],
  };
}
