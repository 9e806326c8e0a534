import { MqError } from '@mq/core';

/** Errors of @mq/memory. Each has a stable `code` and a message that says what to do next. */

/** `createMemoryBackend` got an option it cannot use. Code `MQ_MEMORY_INVALID_OPTION`. */
export class MemoryBackendOptionError extends MqError {
  /** The option at fault, e.g. `eventHistory`. */
  readonly option: string;

  constructor(option: string, rule: string, options?: { cause?: unknown }) {
    super(
      'MQ_MEMORY_INVALID_OPTION',
      `Invalid memory backend option '${option}': ${rule}. Fix it in the options passed to createMemoryBackend().`,
      options,
    );
    this.name = 'MemoryBackendOptionError';
    this.option = option;
  }
}
