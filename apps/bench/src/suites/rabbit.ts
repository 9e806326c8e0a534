import type { Suite } from '../harness/scenario.js';
import { AMQP_URL, redactUrl } from '../services.js';
import { amqplibRaw } from '../systems/amqplib-raw.js';
import { mqPostgres, mqRedis } from '../systems/our-backends.js';
import { mqRabbitPostgres, mqRabbitRedis } from '../systems/rabbit-backends.js';
import { COMMON_NOTES } from './redis.js';
import { addBulk, addSingle, drain, latency } from './scenarios.js';

/**
 * @mq/rabbit (Redis and PostgreSQL stores) against the store backends alone and raw
 * amqplib on the same broker (issue 16): what the broker costs and what it buys.
 */
export function rabbitSuite(o: {
  jobs: number;
  concurrency: number[];
  samples: number;
  timeoutMs: number;
}): Suite {
  return {
    name: 'rabbit',
    title: '@mq/rabbit vs its stores alone vs raw amqplib',
    systems: [mqRabbitRedis(), mqRedis(), mqRabbitPostgres(), mqPostgres(), amqplibRaw()],
    scenarios: [
      addSingle(o.jobs, 10, o.timeoutMs),
      addBulk(o.jobs, 1000, o.timeoutMs),
      ...o.concurrency.map((c) => drain(o.jobs, c, o.timeoutMs)),
      latency(o.samples, o.timeoutMs),
    ],
    servers: async () => [`rabbitmq at ${redactUrl(AMQP_URL)}`],
    notes: COMMON_NOTES,
  };
}
