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

/**
 * JSON text of `value` with object keys sorted at every depth (and `undefined` members
 * dropped, as `JSON.stringify` drops them), so two values equal as data give one text
 * whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * True when two repeat specs define the same schedule: compared as data, not as text,
 * so `{ every, startDate }` and `{ startDate, every }` are one definition (and keep the
 * planned tick on upsert).
 */
export function sameRepeatSpec(a: RepeatSpec, b: RepeatSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
