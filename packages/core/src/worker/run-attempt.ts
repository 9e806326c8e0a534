import type { TSchema } from '@sinclair/typebox';
import { type BackoffStrategy, backoffDelay } from '../backoff.js';
import { type JobErrorInfo, type Settlement, storableSettlement } from '../contract/index.js';
import {
  CancelledError,
  ClosedError,
  LeaseLostError,
  UnrecoverableError,
  ValidationError,
} from '../errors.js';
import { validationIssues } from '../validate.js';
import type { ActiveJob } from './active-job.js';
import type { AttemptAbort } from './attempt-abort.js';

/** The function a Worker runs for each job. `signal` fires on timeout, cancel, close or lease loss. */
export type Processor<D = unknown, R = unknown> = (
  job: ActiveJob<D, R>,
  ctx: { signal: AbortSignal },
) => Promise<R> | R;

/** How one attempt ended, for the settle batch and the worker's local events. */
export type AttemptOutcome =
  | { settlement: Settlement & { kind: 'completed' }; result: unknown }
  | { settlement: Settlement & { kind: 'retry' | 'failed' }; error: Error }
  | { settlement: Settlement & { kind: 'released' } }
  /** The lease is gone: nothing to settle. */
  | { settlement: null; error: Error };

/** What `runAttempt` needs from the worker. */
export interface AttemptContext {
  schemas: Readonly<Record<string, TSchema>> | undefined;
  strategies: Readonly<Record<string, BackoffStrategy>>;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function toInfo(err: Error): JobErrorInfo {
  const info: JobErrorInfo = { name: err.name, message: err.message };
  if (err.stack) info.stack = err.stack;
  return info;
}

function neverRetried(err: Error): boolean {
  return (
    err instanceof UnrecoverableError ||
    err instanceof CancelledError ||
    err instanceof ValidationError
  );
}

/**
 * Runs one attempt: validates the payload, races the processor against the abort
 * signal (timeout, cancel, close, lease loss), and turns the result into a settlement.
 */
export async function runAttempt<D, R>(
  job: ActiveJob<D, R>,
  abort: AttemptAbort,
  processor: Processor<D, R>,
  ctx: AttemptContext,
): Promise<AttemptOutcome> {
  const lease = { jobId: job.id, token: job.token };
  try {
    const schema = ctx.schemas?.[job.name];
    if (schema) {
      const issues = validationIssues(schema, job.data, '/data');
      if (issues.length > 0) throw new ValidationError(`payload of "${job.name}"`, issues);
    }
    const result = await abort.race(processor(job, abort.context()));
    const settlement: Settlement & { kind: 'completed' } = { ...lease, kind: 'completed' };
    const json = result === undefined ? undefined : JSON.stringify(result);
    if (json !== undefined) settlement.result = json;
    return { settlement, result };
  } catch (thrown) {
    const err = toError(thrown);
    // Only the worker's own abort may hand a lease back or give it up: the same class
    // thrown by the processor (a closed Queue it called, say) is an attempt that failed,
    // else the job would be redelivered at once, forever, without counting an attempt.
    if (abort.aborted && thrown === abort.reason) {
      if (err instanceof LeaseLostError) return { settlement: null, error: err };
      if (err instanceof ClosedError) return { settlement: { ...lease, kind: 'released' } };
    }
    const attemptsMade = job.attemptsMade + 1;
    if (neverRetried(err) || attemptsMade >= job.opts.attempts) {
      return { settlement: { ...lease, kind: 'failed', error: toInfo(err) }, error: err };
    }
    let delay: number;
    try {
      delay = backoffDelay(job.opts.backoff, attemptsMade, err, ctx.strategies);
    } catch (backoffErr) {
      const e = toError(backoffErr);
      return { settlement: { ...lease, kind: 'failed', error: toInfo(e) }, error: e };
    }
    // A retry time no store can hold fails the job here already, as the backend would
    // (see Settlement), so the worker reports `failed`, not `retrying`.
    const retry: Settlement = {
      ...lease,
      kind: 'retry',
      runAt: Date.now() + delay,
      error: toInfo(err),
    };
    return { settlement: storableSettlement(retry), error: err };
  }
}
