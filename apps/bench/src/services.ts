/** Redis the redis suite uses: `MQ_REDIS_URL`, default `redis://127.0.0.1:6379`. */
export const REDIS_URL = process.env.MQ_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * PostgreSQL the postgres suite uses: `MQ_POSTGRES_URL`, default
 * `postgres://mq:mq@127.0.0.1:5432/mq_test`.
 */
export const POSTGRES_URL =
  process.env.MQ_POSTGRES_URL ?? 'postgres://mq:mq@127.0.0.1:5432/mq_test';

/** The URL without its password, for tables and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** RabbitMQ the rabbit suite uses: `MQ_AMQP_URL`, default `amqp://mq:mq@127.0.0.1:5672`. */
export const AMQP_URL = process.env.MQ_AMQP_URL ?? 'amqp://mq:mq@127.0.0.1:5672';
