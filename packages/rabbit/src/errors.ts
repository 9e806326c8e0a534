/** Errors of @mq/rabbit. Each has a stable `code` and a message that says what to do next. */
import { MqError } from '@mq/core';

/** `createRabbitBackend` or `fromUrl` got options it cannot use. */
export class RabbitBackendOptionError extends MqError {
  /** The option at fault, e.g. `store`. */
  readonly option: string;

  constructor(option: string, rule: string, options?: { cause?: unknown }) {
    super(
      'MQ_RABBIT_INVALID_OPTION',
      `Invalid RabbitMQ backend option '${option}': ${rule}. Fix it in the options passed to createRabbitBackend() or in the amqp:// URL.`,
      options,
    );
    this.name = 'RabbitBackendOptionError';
    this.option = option;
  }
}

/** A queue name that RabbitMQ cannot hold once prefixed (AMQP names are at most 255 bytes). */
export class RabbitQueueNameError extends MqError {
  readonly queue: string;

  constructor(queue: string, rule: string) {
    super(
      'MQ_RABBIT_INVALID_QUEUE',
      `Queue name '${queue.slice(0, 80)}' cannot be used with RabbitMQ: ${rule}. Use a shorter queue name or prefix.`,
    );
    this.name = 'RabbitQueueNameError';
    this.queue = queue;
  }
}

/**
 * A delivery notice could not be published (broker unreachable, nack, unroutable). The
 * job itself is safe in the store: the sweep publishes it again. Reported to `onError`,
 * never thrown from `add`.
 */
export class RabbitPublishError extends MqError {
  readonly queue: string;

  constructor(queue: string, detail: string, options?: { cause?: unknown }) {
    super(
      'MQ_RABBIT_PUBLISH',
      `Could not publish a delivery for queue '${queue}': ${detail}. The job is kept in the store and the sweep publishes it again; check that RabbitMQ is reachable.`,
      options,
    );
    this.name = 'RabbitPublishError';
    this.queue = queue;
  }
}

/** The connection to RabbitMQ failed or dropped; the backend reconnects by itself. */
export class RabbitConnectionError extends MqError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'MQ_RABBIT_CONNECTION',
      `RabbitMQ connection problem: ${detail}. The backend reconnects with backoff; check the broker and the amqp:// URL if this repeats.`,
      options,
    );
    this.name = 'RabbitConnectionError';
  }
}

/** The backend was used after `close()`. */
export class RabbitBackendClosedError extends MqError {
  constructor() {
    super(
      'MQ_RABBIT_CLOSED',
      'This RabbitMQ backend is closed. Create a new one with createRabbitBackend() to continue.',
    );
    this.name = 'RabbitBackendClosedError';
  }
}
