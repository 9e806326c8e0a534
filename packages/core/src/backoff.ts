import type { BackoffSpec } from './contract/index.js';
import { InvalidBackoffError, UnknownBackoffError } from './errors.js';
import { MAX_DURATION_MS } from './options/limits.js';

/**
 * A custom backoff: given the attempts made so far (1 after the first failure) and the
 * error, returns the delay in ms before the next attempt.
 */
export type BackoffStrategy = (
  attemptsMade: number,
  error: Error,
  delay: number | undefined,
) => number;

function jittered(delay: number, jitter: number | undefined): number {
  // Jitter spreads retries of many jobs failing together (thundering herd).
  if (!jitter) return delay;
  return Math.round(delay * (1 - jitter * Math.random()));
}

/**
 * The delay before the next attempt, in ms, at most `MAX_DURATION_MS` (so the retry time
 * fits every backend). `attemptsMade` counts attempts finished, including the one that
 * just failed. Throws `InvalidBackoffError` when a custom strategy returns no number.
 */
export function backoffDelay(
  spec: BackoffSpec | undefined,
  attemptsMade: number,
  error: Error,
  strategies: Readonly<Record<string, BackoffStrategy>>,
): number {
  return Math.min(rawDelay(spec, attemptsMade, error, strategies), MAX_DURATION_MS);
}

function rawDelay(
  spec: BackoffSpec | undefined,
  attemptsMade: number,
  error: Error,
  strategies: Readonly<Record<string, BackoffStrategy>>,
): number {
  if (!spec) return 0;
  switch (spec.type) {
    case 'fixed':
      return jittered(spec.delay, spec.jitter);
    case 'exponential': {
      const raw = spec.delay * 2 ** Math.max(0, attemptsMade - 1);
      return jittered(Math.min(raw, spec.maxDelay ?? MAX_DURATION_MS), spec.jitter);
    }
    case 'custom': {
      const fn = strategies[spec.name];
      if (!fn) throw new UnknownBackoffError(spec.name);
      const ms = fn(attemptsMade, error, spec.delay);
      if (typeof ms !== 'number' || Number.isNaN(ms)) throw new InvalidBackoffError(spec.name, ms);
      return Math.max(0, Math.round(ms));
    }
  }
}
