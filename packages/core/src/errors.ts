/**
 * Every error @mq/core throws. Each has a stable `code` to branch on and a message that
 * says what to do next.
 */

import type { JobState } from './contract/job-record.js';

/** Base class of every @mq error. */
export class MqError extends Error {
  /** Stable machine-readable code, e.g. `MQ_VALIDATION`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MqError';
    this.code = code;
  }
}

/** One rule an input broke. */
export interface ValidationIssue {
  /** JSON pointer of the offending field, e.g. `/opts/delay`. */
  path: string;
  /** The rule, in words, e.g. `Expected integer to be greater or equal to 0`. */
  rule: string;
}

/** Bad options or payload: thrown before anything is written. */
export class ValidationError extends MqError {
  /** Every rule broken, in schema order. */
  readonly issues: ValidationIssue[];

  constructor(what: string, issues: ValidationIssue[], options?: { cause?: unknown }) {
    const list = issues.map((i) => `${i.path || '/'}: ${i.rule}`).join('; ');
    super(
      'MQ_VALIDATION',
      `Invalid ${what}: ${list}. Fix the field(s) named and try again.`,
      options,
    );
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** The serialized payload is over the queue's `maxPayloadBytes`. */
export class PayloadTooLargeError extends MqError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      'MQ_PAYLOAD_TOO_LARGE',
      `Job payload is ${bytes} bytes, over the limit of ${limit}. Store large data elsewhere and pass a reference, or raise maxPayloadBytes.`,
    );
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * Throw from a processor to fail the job at once, without retries.
 */
export class UnrecoverableError extends MqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MQ_UNRECOVERABLE', message, options);
    this.name = 'UnrecoverableError';
  }
}

/** An attempt ran past its `timeout`; retried per `attempts`. */
export class TimeoutError extends MqError {
  constructor(readonly timeoutMs: number) {
    super(
      'MQ_TIMEOUT',
      `Job attempt exceeded its timeout of ${timeoutMs} ms. Raise the job's timeout or make the processor honour its AbortSignal.`,
    );
    this.name = 'TimeoutError';
  }
}

/** The job was cancelled with `queue.cancelJob`; not retried. */
export class CancelledError extends MqError {
  constructor(message = 'Job was cancelled by an operator.') {
    super('MQ_CANCELLED', message);
    this.name = 'CancelledError';
  }
}

/** `obliterate` without `force` while jobs are active. */
export class ObliterateRefusedError extends MqError {
  constructor(
    readonly queue: string,
    readonly active: number,
  ) {
    super(
      'MQ_OBLITERATE_REFUSED',
      `Queue "${queue}" has ${active} active job(s); obliterate refused. Wait for them, close the workers, or pass { force: true }.`,
    );
    this.name = 'ObliterateRefusedError';
  }
}

/**
 * `updateJobData` found no such job, or one no longer queued (active or finished): a
 * running or finished job's data is history, not an instruction, so it is not changed.
 */
export class JobStateError extends MqError {
  constructor(
    readonly jobId: string,
    /** The job's state, or null when there is no such job. */
    readonly state: JobState | null,
  ) {
    super(
      'MQ_JOB_STATE',
      state === null
        ? `Job ${jobId} does not exist (removed, or never added): its data cannot be updated.`
        : `Job ${jobId} is ${state}: only a waiting or delayed job's data can be updated. Add a new job instead.`,
    );
    this.name = 'JobStateError';
  }
}

/** A Queue or Worker was used after `close()`. */
export class ClosedError extends MqError {
  constructor(what: string) {
    super('MQ_CLOSED', `${what} is closed. Create a new instance to continue.`);
    this.name = 'ClosedError';
  }
}

/** The lease of an active job is gone (expired and re-granted, or settled elsewhere). */
export class LeaseLostError extends MqError {
  constructor(readonly jobId: string) {
    super(
      'MQ_LEASE_LOST',
      `Job ${jobId} is no longer held by this worker (its lease expired or it was settled elsewhere). Raise leaseMs if the processor blocks the event loop.`,
    );
    this.name = 'LeaseLostError';
  }
}

/** A job asks for a custom backoff strategy the worker does not know. */
export class UnknownBackoffError extends MqError {
  constructor(readonly strategy: string) {
    super(
      'MQ_UNKNOWN_BACKOFF',
      `Backoff strategy "${strategy}" is not registered on this worker. Pass it in WorkerOptions.backoffStrategies.`,
    );
    this.name = 'UnknownBackoffError';
  }
}

/** A backend call did not answer within its deadline (a hung connection or an overloaded store). */
export class BackendTimeoutError extends MqError {
  constructor(
    readonly backend: string,
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(
      'MQ_BACKEND_TIMEOUT',
      `The ${backend} backend did not answer ${operation} within ${timeoutMs} ms. Check the connection to the store (network, server load); the worker retries with backoff and claims nothing meanwhile.`,
    );
    this.name = 'BackendTimeoutError';
  }
}

/** A custom backoff strategy returned something that is not a delay. */
export class InvalidBackoffError extends MqError {
  constructor(
    readonly strategy: string,
    readonly returned: unknown,
  ) {
    super(
      'MQ_INVALID_BACKOFF',
      `Backoff strategy "${strategy}" returned ${String(returned)}, not a number of ms. Make it return a finite number ≥ 0.`,
    );
    this.name = 'InvalidBackoffError';
  }
}

/** The backend does not declare the capability an operation needs. */
export class UnsupportedError extends MqError {
  constructor(
    readonly capability: string,
    backend: string,
  ) {
    super(
      'MQ_UNSUPPORTED',
      `The ${backend} backend does not provide "${capability}". Use a backend that declares it (see its capabilities), or drop the option.`,
    );
    this.name = 'UnsupportedError';
  }
}
