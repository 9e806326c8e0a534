import type { KeepPolicy } from '../contract/job-record.js';
import { storableCount, storableDuration } from '../contract/storable.js';

/**
 * A `KeepPolicy` decoded once, for every backend: `true` removes the job itself as it
 * finishes (`removeNow`; other jobs are untouched); otherwise a finished job goes when it
 * is older than `age` ms, or when `count` newer jobs of its state exist (a number `n` is
 * `count: n`). `undefined` is no limit; no limit at all keeps the job forever (`false`).
 * Values are bounded to what every store holds
 * (`storableDuration`, `storableCount`): a larger one keeps as much as any store could,
 * where the raw number would fail the write.
 */
export interface KeepRule {
  readonly removeNow: boolean;
  readonly age: number | undefined;
  readonly count: number | undefined;
}

/** Decodes a job's `removeOnComplete` / `removeOnFail`. */
export function keepRule(policy: KeepPolicy): KeepRule {
  if (typeof policy === 'boolean') return { removeNow: policy, age: undefined, count: undefined };
  if (typeof policy === 'number')
    return { removeNow: false, age: undefined, count: storableCount(policy) };
  return {
    removeNow: false,
    age: policy.age === undefined ? undefined : storableDuration(policy.age),
    count: policy.count === undefined ? undefined : storableCount(policy.count),
  };
}

/** True when the rule keeps every job forever. */
export const keepsForever = (rule: KeepRule): boolean =>
  !rule.removeNow && rule.age === undefined && rule.count === undefined;

/**
 * Whether `rule` removes a job that finished at `finishedAt` with `newer` jobs of its
 * state finished after it, at time `now`. The age boundary is strict: a job exactly
 * `age` old is kept.
 */
export function keepRuleRemoves(
  rule: KeepRule,
  finishedAt: number,
  newer: number,
  now: number,
): boolean {
  if (rule.removeNow) return true;
  if (rule.age !== undefined && finishedAt < now - rule.age) return true;
  return rule.count !== undefined && newer >= rule.count;
}
