import { describe, expect, it } from 'vitest';
import { keepRule, keepRuleRemoves, keepsForever } from '../src/backend-kit/index.js';
import { MAX_STORED_COUNT, MAX_STORED_DURATION } from '../src/index.js';

describe('keepRule', () => {
  it('decodes every KeepPolicy form once', () => {
    expect(keepRule(false)).toEqual({ removeNow: false, age: undefined, count: undefined });
    expect(keepRule(true)).toEqual({ removeNow: true, age: undefined, count: undefined });
    expect(keepRule(5)).toEqual({ removeNow: false, age: undefined, count: 5 });
    expect(keepRule({ age: 1000 })).toEqual({ removeNow: false, age: 1000, count: undefined });
    expect(keepRule({ age: 1000, count: 3 })).toEqual({ removeNow: false, age: 1000, count: 3 });
    expect(keepsForever(keepRule(false))).toBe(true);
    expect(keepsForever(keepRule({}))).toBe(true);
    expect(keepsForever(keepRule(0))).toBe(false);
  });

  it('bounds values to what every store holds', () => {
    expect(keepRule({ age: 1e300, count: 1e300 })).toEqual({
      removeNow: false,
      age: MAX_STORED_DURATION,
      count: MAX_STORED_COUNT,
    });
  });

  it('removes by age (strictly older), by count of newer jobs, or at once', () => {
    const now = 10_000;
    expect(keepRuleRemoves(keepRule({ age: 1000 }), 8_999, 0, now)).toBe(true);
    expect(keepRuleRemoves(keepRule({ age: 1000 }), 9_000, 0, now)).toBe(false);
    expect(keepRuleRemoves(keepRule(2), 0, 2, now)).toBe(true);
    expect(keepRuleRemoves(keepRule(2), 0, 1, now)).toBe(false);
    expect(keepRuleRemoves(keepRule(true), now, 0, now)).toBe(true);
    expect(keepRuleRemoves(keepRule(false), 0, 1e9, now)).toBe(false);
  });
});
