/**
 * Errors of @mq/conformance. Each has a stable `code` and a message that says what to
 * change in the call to `runConformance`.
 */

/** `runConformance` was called with options it cannot use. */
export class ConformanceOptionError extends Error {
  /** Always `MQ_CONFORMANCE_OPTION`. */
  readonly code = 'MQ_CONFORMANCE_OPTION';

  constructor(
    /** The offending option, e.g. `skip` or `timing.leaseMs`. */
    readonly option: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `runConformance option "${option}": ${problem}. Fix the option passed to runConformance.`,
      options,
    );
    this.name = 'ConformanceOptionError';
  }
}
