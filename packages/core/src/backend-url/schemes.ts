/**
 * The one list of backends: which package serves each URL scheme. Everything that takes a
 * backend URL (the scheduler, the CLI, the admin server, the demo, the bench) resolves it
 * here, so a new backend is added in this file and nowhere else.
 */
export const BACKEND_SCHEMES: Readonly<Record<string, string>> = Object.freeze({
  'memory:': '@mq/memory',
  'redis:': '@mq/redis',
  'rediss:': '@mq/redis',
  'postgres:': '@mq/postgres',
  'postgresql:': '@mq/postgres',
  'mongodb:': '@mq/mongo',
  'mongodb+srv:': '@mq/mongo',
  'amqp:': '@mq/rabbit',
  'amqps:': '@mq/rabbit',
});
