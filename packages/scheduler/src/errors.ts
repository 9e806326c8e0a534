import { MqError } from '@mq/core';

/** Errors of @mq/scheduler. */

/** The `mq-scheduler` command line could not be understood or its backend not loaded. */
export class SchedulerConfigError extends MqError {
  /** The flag at fault (e.g. `--heartbeat-interval`), when one is. */
  readonly flag: string | undefined;

  /** Stable code: `MQ_SCHEDULER_CONFIG`. */
  constructor(message: string, options?: { cause?: unknown; flag?: string }) {
    super('MQ_SCHEDULER_CONFIG', `${message}. Run 'mq-scheduler --help' for usage.`, options);
    this.name = 'SchedulerConfigError';
    this.flag = options?.flag;
  }
}
