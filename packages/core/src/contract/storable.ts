import { MAX_COUNT, MAX_TIMESTAMP_MS } from '../options/limits.js';
import type { JobErrorInfo } from './job-record.js';
import type { Settlement } from './job-store.js';

/**
 * What every backend can store, and how a backend treats a value beyond it. Core's
 * option schemas keep user input inside these bounds; the contract is also called
 * directly (third-party producers, tests, older cores), so each backend applies the same
 * rules again where a value reaches its store — one job's value must never fail the
 * statement or script call that carries other jobs (issue 20).
 */

/**
 * The latest time a backend stores, as ms since the epoch: 8.64e15, the last instant a
 * JavaScript `Date` holds (+275760-09-13). It fits a PostgreSQL `bigint` and a Lua
 * number exactly, with room for `now +` any stored duration.
 */
export const MAX_STORED_TIME = MAX_TIMESTAMP_MS;

/**
 * The longest duration a backend stores (a delay, a dedup ttl, a retention age), in ms.
 * Longer ones are stored as this, which is "forever" on every backend: no job or key
 * lives 270,000 years.
 */
export const MAX_STORED_DURATION = MAX_STORED_TIME;

/** The largest count a backend stores (a retention count): 2³¹ − 1. */
export const MAX_STORED_COUNT = MAX_COUNT;

/**
 * A duration as a backend stores it: an integer number of ms in
 * `[0, MAX_STORED_DURATION]`; fractions are floored, NaN is 0.
 */
export function storableDuration(ms: number): number {
  if (!(ms > 0)) return 0;
  return ms >= MAX_STORED_DURATION ? MAX_STORED_DURATION : Math.floor(ms);
}

/** A count as a backend stores it: an integer in `[0, MAX_STORED_COUNT]`; NaN is 0. */
export function storableCount(n: number): number {
  if (!(n > 0)) return 0;
  return n >= MAX_STORED_COUNT ? MAX_STORED_COUNT : Math.floor(n);
}

/** The `name` of the error a job fails with when its retry time cannot be stored. */
export const RETRY_TIME_ERROR_NAME = 'RetryTimeError';

/** Whether `runAt` is a time every backend stores (finite, within ±MAX_STORED_TIME). */
export function isStorableTime(runAt: number): boolean {
  return runAt <= MAX_STORED_TIME && runAt >= -MAX_STORED_TIME;
}

/**
 * The settlement a backend applies for `o`: `o` itself, except a `retry` whose `runAt`
 * is not a storable time (NaN, ±Infinity, beyond ±MAX_STORED_TIME), which becomes a
 * `failed` settlement of the same lease. Its error names the rule and keeps the
 * attempt's own error in the message (and its stack), so the job says why it failed.
 */
export function storableSettlement<S extends Settlement>(
  o: S,
): S | Extract<Settlement, { kind: 'failed' }> {
  if (o.kind !== 'retry' || isStorableTime(o.runAt)) return o;
  const error: JobErrorInfo = {
    name: RETRY_TIME_ERROR_NAME,
    message:
      `retry time (runAt ${String(o.runAt)}) is not a storable time (a finite ms epoch of at most ` +
      `${MAX_STORED_TIME}); the job failed instead of retrying. The attempt failed with ` +
      `${o.error.name}: ${o.error.message}`,
  };
  if (o.error.stack !== undefined) error.stack = o.error.stack;
  return { jobId: o.jobId, token: o.token, kind: 'failed', error };
}

/** {@link storableSettlement} of each outcome; the same array when none changes. */
export function storableSettlements(outcomes: Settlement[]): Settlement[] {
  let out: Settlement[] | undefined;
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i] as Settlement;
    const s = storableSettlement(o);
    if (s !== o) {
      out ??= outcomes.slice();
      out[i] = s;
    }
  }
  return out ?? outcomes;
}
