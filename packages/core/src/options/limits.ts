import { type StringOptions, Type } from '@sinclair/typebox';

/**
 * The limits every backend can store and every timer can hold, checked in core before
 * anything is written, so a value one backend accepts is accepted by all.
 */

/** The longest wait `setTimeout` honours (2³¹−1 ms, about 24.8 days); Node fires longer ones at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The longest stored duration (a delay, backoff, ttl, age or repeat interval): 2⁴¹ ms,
 * about 69 years. `now + MAX_DURATION_MS` fits every backend's timestamp (a PostgreSQL
 * `bigint` of ms, a Redis sorted-set score, a double) exactly.
 */
export const MAX_DURATION_MS = 2 ** 41;

/** The latest timestamp a schedule may name: JavaScript's last valid `Date` (year 275760). */
export const MAX_TIMESTAMP_MS = 8_640_000_000_000_000;

/** The largest count (retention counts, repeat limits, rate-limit max): 2³¹−1, a PostgreSQL `integer`. */
export const MAX_COUNT = 2 ** 31 - 1;

/**
 * The rule of every identifier and name: no NUL character (PostgreSQL `text` cannot hold
 * one) and well-formed UTF-16 (a lone surrogate is stored as U+FFFD by Redis and
 * PostgreSQL, so two ids that differ only there would collide). Written as a pattern
 * over UTF-16 code units: anything but NUL and surrogates, or a surrogate pair.
 */
export const TEXT_PATTERN = '^(?:[^\\u0000\\ud800-\\udfff]|[\\ud800-\\udbff][\\udc00-\\udfff])*$';

/** What a `TEXT_PATTERN` failure says, instead of the pattern itself. */
export const TEXT_RULE = 'must not contain NUL characters or unpaired surrogates';

/**
 * The schema key holding a human rule for a `pattern`: `validationIssues` reports it in
 * place of TypeBox's "Expected string to match '…'".
 */
export const PATTERN_RULE = 'x-mq-rule';

/** A string schema under the text rule (see `TEXT_PATTERN`). */
export function Text(options: StringOptions = {}) {
  return Type.String({ ...options, pattern: TEXT_PATTERN, [PATTERN_RULE]: TEXT_RULE });
}

/** A duration in ms a timer is set from: an integer in `[min, MAX_TIMER_MS]`. */
export function TimerMs(min: number) {
  return Type.Integer({ minimum: min, maximum: MAX_TIMER_MS });
}

/** A stored duration in ms: an integer in `[min, MAX_DURATION_MS]`. */
export function DurationMs(min: number) {
  return Type.Integer({ minimum: min, maximum: MAX_DURATION_MS });
}

/** A count: an integer in `[min, MAX_COUNT]`. */
export function Count(min: number) {
  return Type.Integer({ minimum: min, maximum: MAX_COUNT });
}
