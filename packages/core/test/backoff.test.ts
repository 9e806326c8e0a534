import { describe, expect, it } from 'vitest';
import { UnknownBackoffError, backoffDelay } from '../src/index.js';

const err = new Error('boom');

describe('backoffDelay', () => {
  it('is 0 without a spec (retry at once)', () => {
    expect(backoffDelay(undefined, 1, err, {})).toBe(0);
  });

  it('fixed returns the delay every time', () => {
    for (const n of [1, 2, 5])
      expect(backoffDelay({ type: 'fixed', delay: 250 }, n, err, {})).toBe(250);
  });

  it('exponential doubles from the first retry and honours maxDelay', () => {
    const spec = { type: 'exponential' as const, delay: 100, maxDelay: 500 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(spec, n, err, {}))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });

  it('jitter stays within [delay * (1 - jitter), delay]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay({ type: 'fixed', delay: 1000, jitter: 0.5 }, 1, err, {});
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });

  it('custom calls the registered strategy with attempts, error and delay', () => {
    const seen: unknown[] = [];
    const d = backoffDelay({ type: 'custom', name: 'linear', delay: 10 }, 3, err, {
      linear: (n, e, base) => {
        seen.push(n, e, base);
        return n * (base ?? 0);
      },
    });
    expect(d).toBe(30);
    expect(seen).toEqual([3, err, 10]);
  });

  it('custom with an unknown name throws UnknownBackoffError', () => {
    expect(() => backoffDelay({ type: 'custom', name: 'nope' }, 1, err, {})).toThrow(
      UnknownBackoffError,
    );
  });
});
