/**
 * Named errors of @mq/mongo. Each carries a stable `code` and a message that says what
 * to do next.
 */

import { MqError } from '@mq/core';

/** Base class of every error this package throws on its own behalf (an `MqError`). */
export class MongoBackendError extends MqError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'MongoBackendError';
  }
}

/** The options passed to `createMongoBackend` (or the URL given to `fromUrl`) are unusable. */
export class InvalidMongoOptionsError extends MongoBackendError {
  /** The option at fault, e.g. `prefix`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super('MQ_MONGO_INVALID_OPTIONS', `Invalid @mq/mongo option "${field}": ${message}`);
    this.name = 'InvalidMongoOptionsError';
    this.field = field;
  }
}

/** An operation was called after `close()`. */
export class MongoBackendClosedError extends MongoBackendError {
  constructor() {
    super(
      'MQ_MONGO_CLOSED',
      '@mq/mongo backend is closed; create a new backend (createMongoBackend) to go on.',
    );
    this.name = 'MongoBackendClosedError';
  }
}

/** The server answered, but is older than this package needs (wire version < 17). */
export class UnsupportedMongoServerError extends MongoBackendError {
  constructor(detail: string) {
    super(
      'MQ_MONGO_UNSUPPORTED_SERVER',
      `@mq/mongo needs MongoDB 6.0 or newer (or a compatible server): ${detail}. ` +
        'Upgrade the server or point the backend at another one.',
    );
    this.name = 'UnsupportedMongoServerError';
  }
}
