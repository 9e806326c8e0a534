import { CronExpressionParser } from 'cron-parser';
import type { RepeatSpec } from './contract/index.js';
import { ValidationError } from './errors.js';
import { RepeatSpecSchema } from './options/repeat-options.js';
import { assertValid } from './validate.js';

/**
 * Validates a repeat spec: the schema, exactly one of `cron` / `every`, a parseable cron
 * expression, a known time zone, and `startDate <= endDate`.
 */
export function assertRepeatSpec(spec: RepeatSpec): void {
  assertValid(RepeatSpecSchema, spec, 'repeat spec', '/repeat');
  const issues = [];
  if ((spec.cron === undefined) === (spec.every === undefined)) {
    issues.push({ path: '/repeat', rule: 'exactly one of cron and every is required' });
  }
  if (spec.tz !== undefined && spec.cron === undefined) {
    issues.push({ path: '/repeat/tz', rule: 'tz applies to cron schedules only' });
  }
  if (spec.tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: spec.tz });
    } catch {
      issues.push({ path: '/repeat/tz', rule: `unknown IANA time zone "${spec.tz}"` });
    }
  }
  if (spec.cron !== undefined && issues.length === 0) {
    try {
      CronExpressionParser.parse(spec.cron, { tz: spec.tz ?? 'UTC', strict: false });
    } catch (err) {
      issues.push({
        path: '/repeat/cron',
        rule: `invalid cron expression: ${(err as Error).message}`,
      });
    }
  }
  if (spec.startDate !== undefined && spec.endDate !== undefined && spec.startDate > spec.endDate) {
    issues.push({ path: '/repeat/endDate', rule: 'must not be before startDate' });
  }
  if (issues.length > 0) throw new ValidationError('repeat spec', issues);
}

/**
 * The first planned tick strictly after `after` (ms epoch), or null when the spec has
 * no more ticks (past `endDate`, or `runCount` reached `limit`). `every` ticks are
 * aligned to `startDate` (or to multiples of `every` since the epoch without one), so
 * every scheduler computes the same ticks.
 */
export function nextTick(spec: RepeatSpec, after: number, runCount = 0): number | null {
  if (spec.limit !== undefined && runCount >= spec.limit) return null;
  const from = Math.max(after, (spec.startDate ?? Number.NEGATIVE_INFINITY) - 1);
  let next: number;
  if (spec.every !== undefined) {
    const anchor = spec.startDate ?? 0;
    next = anchor + (Math.floor((from - anchor) / spec.every) + 1) * spec.every;
  } else {
    const it = CronExpressionParser.parse(spec.cron ?? '', {
      currentDate: new Date(from),
      tz: spec.tz ?? 'UTC',
    });
    next = it.next().getTime();
  }
  if (spec.endDate !== undefined && next > spec.endDate) return null;
  return next;
}
