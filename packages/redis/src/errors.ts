/** Errors of @mq/redis. Each has a stable `code` and a message that says what to do next. */
import { MqError } from '@mq/core';

/** `createRedisBackend` got options it cannot use. */
export class RedisBackendOptionError extends MqError {
  /** The option at fault, e.g. `prefix`. */
  readonly option: string;

  constructor(option: string, rule: string, options?: { cause?: unknown }) {
    super(
      'MQ_REDIS_INVALID_OPTION',
      `Invalid Redis backend option '${option}': ${rule}. Fix it in the options passed to createRedisBackend().`,
      options,
    );
    this.name = 'RedisBackendOptionError';
    this.option = option;
  }
}

/** A script answered in a shape this version does not understand. */
export class RedisReplyError extends MqError {
  constructor(script: string, detail: string, options?: { cause?: unknown }) {
    super(
      'MQ_REDIS_BAD_REPLY',
      `Unexpected reply from the '${script}' script: ${detail}. Make sure every process uses the same @mq/redis version and that nothing else writes under the backend's key prefix.`,
      options,
    );
    this.name = 'RedisReplyError';
  }
}

/** The backend was used after `close()`. */
export class RedisBackendClosedError extends MqError {
  constructor() {
    super(
      'MQ_REDIS_CLOSED',
      'This Redis backend is closed. Create a new one with createRedisBackend() to continue.',
    );
    this.name = 'RedisBackendClosedError';
  }
}
