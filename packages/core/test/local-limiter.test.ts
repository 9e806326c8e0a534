import { describe, expect, it } from 'vitest';
import { LocalLimiter } from '../src/worker/local-limiter.js';

describe('LocalLimiter', () => {
  it('counts each start for duration ms from when it happened, not from the first query', () => {
    const l = new LocalLimiter({ max: 3, duration: 1000 });
    // Queried at 0 with nothing to start, work at 600: the window starts at 600.
    expect(l.budget(10, 0, 0)).toEqual({ allowed: 3, waitMs: 0 });
    expect(l.budget(10, 0, 600)).toEqual({ allowed: 3, waitMs: 0 });
    l.consume(3, 600);
    expect(l.budget(10, 0, 1000)).toEqual({ allowed: 0, waitMs: 600 });
    expect(l.budget(10, 0, 1599).allowed).toBe(0);
    expect(l.budget(10, 0, 1600)).toEqual({ allowed: 3, waitMs: 0 });
  });

  it('slides: starts leave the window one claim at a time', () => {
    const l = new LocalLimiter({ max: 3, duration: 100 });
    l.consume(2, 0);
    l.consume(1, 50);
    expect(l.budget(5, 0, 99)).toEqual({ allowed: 0, waitMs: 1 });
    expect(l.budget(5, 0, 100).allowed).toBe(2);
    l.consume(2, 100);
    expect(l.budget(5, 0, 150).allowed).toBe(1);
  });

  it('budget granted to claims still in flight counts against the limit', () => {
    const l = new LocalLimiter({ max: 3, duration: 1000 });
    expect(l.budget(10, 3, 0)).toEqual({ allowed: 0, waitMs: 25 });
    expect(l.budget(10, 2, 0).allowed).toBe(1);
  });

  it('without a limit allows everything', () => {
    expect(new LocalLimiter(undefined).budget(7, 100)).toEqual({ allowed: 7, waitMs: 0 });
  });
});
