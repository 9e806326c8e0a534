/** Errors of the demo app. Each has a stable `code` and says what to do next. */

/** A command-line option or environment variable of the demo is invalid. */
export class DemoUsageError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'MQ_DEMO_USAGE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}. Run \`pnpm demo --help\` for the options.`, options);
    this.name = 'DemoUsageError';
  }
}
