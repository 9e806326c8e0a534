/**
 * Errors of @mq/conformance. Each has a stable `code` and a message that says what to
 * change in the call to `runConformance`.
 */

import { MqError } from '@mq/core';

/** `runConformance` was called with options it cannot use; `code` is `MQ_CONFORMANCE_OPTION`. */
export class ConformanceOptionError extends MqError {
  constructor(
    /** The offending option, e.g. `skip` or `timing.leaseMs`. */
    readonly option: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      'MQ_CONFORMANCE_OPTION',
      `runConformance option "${option}": ${problem}. Fix the option passed to runConformance.`,
      options,
    );
    this.name = 'ConformanceOptionError';
  }
}
