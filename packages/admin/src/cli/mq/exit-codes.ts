import { MqError } from '@mq/core';

/**
 * The exit codes of `mq`, stable and documented in the README: scripts branch on them.
 * Doctor's 10 and 11 are above the error codes so "unhealthy" never reads as "broken".
 */
export const EXIT = {
  /** Done (or, for `doctor`, every check ok). */
  ok: 0,
  /** Unexpected failure: backend unreachable, timeout, internal error. */
  error: 1,
  /** Wrong usage: unknown command or flag, invalid value (the message names it). */
  usage: 2,
  /** Refused: not confirmed (no `--yes` without a terminal, prompt declined), the queue moved on since the preview, or a job in the wrong state. Nothing changed. */
  refused: 3,
  /** The queue, job or schedule does not exist. */
  notFound: 4,
  /** The role (`--role`) does not allow the action (audited as `forbidden`). */
  forbidden: 5,
  /** `doctor`: at least one check warns (none fails). */
  doctorWarn: 10,
  /** `doctor`: at least one check fails. */
  doctorFail: 11,
} as const;

/** The exit code for an error thrown by a command or the operations layer. */
export function exitCodeOf(err: unknown): number {
  if (!(err instanceof MqError)) return EXIT.error;
  switch (err.code) {
    case 'MQ_CLI_USAGE':
    case 'MQ_VALIDATION':
      return EXIT.usage;
    case 'MQ_CLI_REFUSED':
    case 'MQ_ADMIN_CONFIRMATION':
    case 'MQ_OBLITERATE_REFUSED':
    case 'MQ_JOB_STATE':
      return EXIT.refused;
    case 'MQ_ADMIN_NOT_FOUND':
      return EXIT.notFound;
    case 'MQ_ADMIN_FORBIDDEN':
    case 'MQ_ADMIN_RESERVED_QUEUE':
      return EXIT.forbidden;
    default:
      return EXIT.error;
  }
}
