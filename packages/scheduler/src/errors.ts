/** Errors of @mq/scheduler. */

/** The `mq-scheduler` command line could not be understood or its backend not loaded. */
export class SchedulerConfigError extends Error {
  /** Stable code: `MQ_SCHEDULER_CONFIG`. */
  readonly code = 'MQ_SCHEDULER_CONFIG';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message}. Run 'mq-scheduler --help' for usage.`, options);
    this.name = 'SchedulerConfigError';
  }
}
