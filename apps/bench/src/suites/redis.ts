import type { Suite } from '../harness/scenario.js';
import { redisCpu } from '../harness/server-cpu.js';
import { redactUrl, REDIS_URL } from '../services.js';
import { bullmqRedis } from '../systems/bullmq-redis.js';
import { mqRedis } from '../systems/our-backends.js';
import { redisVersion } from '../systems/redis-namespace.js';
import { addBulk, addSingle, drain, latency } from './scenarios.js';

/** @mq/redis against BullMQ on the same redis-server (issue 4). */
export function redisSuite(o: {
  jobs: number;
  concurrency: number[];
  samples: number;
  timeoutMs: number;
}): Suite {
  return {
    name: 'redis',
    title: '@mq/redis vs BullMQ on the same redis-server',
    systems: [mqRedis(), bullmqRedis()],
    scenarios: [
      addSingle(o.jobs, 10, o.timeoutMs),
      addBulk(o.jobs, 1000, o.timeoutMs),
      ...o.concurrency.map((c) =>
        drain(o.jobs, c, o.timeoutMs, o.jobs, undefined, redisCpu(REDIS_URL)),
      ),
      latency(o.samples, o.timeoutMs),
    ],
    servers: async () => [
      `redis ${(await redisVersion(REDIS_URL)) ?? '(down)'} at ${redactUrl(REDIS_URL)}`,
    ],
    notes: COMMON_NOTES,
  };
}

/** Scenario definitions shared by the redis and postgres tables. */
export const COMMON_NOTES = [
  'add single: one `add` call per job, 10 calls in flight; addBulk: sequential bulk calls of 1,000.',
  'drain: the jobs are added in bulk first (untimed), then one worker runs a no-op processor at ' +
    'concurrency c; timed from the first processor call to the last completion the system confirms ' +
    '(written back to its store); every job must complete exactly once.',
  'add-to-start latency: a worker at concurrency 1 idles (25 ms between samples), one job is ' +
    'added at a time; measured from just before the add call to the processor call.',
  'server CPU per job: the server process CPU time (user + sys) over a drain, divided by the ' +
    'jobs: redis-server from `INFO CPU`, PostgreSQL as the sum of its processes from /proc (the ' +
    'server is local). It does not swing with the machine the way jobs/s does, but counts any ' +
    'other client of the same server: run the bench on a server nobody else uses.',
  'Every measurement runs in a fresh namespace (queue name, key prefix or schema) deleted ' +
    'afterwards; systems take turns in a rotating order.',
];
