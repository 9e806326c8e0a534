import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../src/harness/stats.js';

describe('summarize / percentile', () => {
  it('takes the median of odd and even counts, and the range', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  });

  it('interpolates between ranks', () => {
    const sorted = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([10, 20], 99)).toBeCloseTo(19.9);
  });

  it('refuses an empty input', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
