/**
 * Every error the benchmark raises. Each has a stable `code` and a message that says
 * what to do next.
 */

/** Base class of the benchmark's errors. */
export class BenchError extends Error {
  /** Stable machine-readable code, e.g. `BENCH_TIMEOUT`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}

/** A step of a measurement ran past its time bound. */
export class BenchTimeoutError extends BenchError {
  constructor(what: string, ms: number) {
    super(
      'BENCH_TIMEOUT',
      `${what} did not finish within ${ms} ms. Check that the server answers and that the ` +
        'system under test is not stuck; raise the bound with --timeout <seconds> if the ' +
        'machine is simply slow.',
    );
    this.name = 'BenchTimeoutError';
  }
}

/** Bad command-line arguments. */
export class BenchUsageError extends BenchError {
  constructor(message: string) {
    super('BENCH_USAGE', `${message}. Run with --help for the accepted arguments.`);
    this.name = 'BenchUsageError';
  }
}

/** A server a suite needs did not answer. */
export class ServiceUnavailableError extends BenchError {
  constructor(service: string, url: string, options?: { cause?: unknown }) {
    super(
      'BENCH_SERVICE_UNAVAILABLE',
      `${service} at ${url} did not answer. Start it, or point the benchmark at another ` +
        `server with ${service === 'redis' ? 'MQ_REDIS_URL' : 'MQ_POSTGRES_URL'}.`,
      options,
    );
    this.name = 'ServiceUnavailableError';
  }
}

/** A drain finished with a different number of completions than jobs added. */
export class CompletionMismatchError extends BenchError {
  constructor(expected: number, got: number) {
    super(
      'BENCH_COMPLETION_MISMATCH',
      `completed ${got} jobs where ${expected} were added: the run is invalid. ` +
        'Look for duplicate deliveries or lost jobs in that system before trusting its figures.',
    );
    this.name = 'CompletionMismatchError';
  }
}

/**
 * A system cannot run a scenario in a meaningful configuration (its cell reads "n/a"
 * with this reason, and the run does not count as failed).
 */
export class NotMeasurableError extends BenchError {
  constructor(reason: string) {
    super('BENCH_NOT_MEASURABLE', reason);
    this.name = 'NotMeasurableError';
  }
}
