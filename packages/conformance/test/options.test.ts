import { describe, expect, it } from 'vitest';
import { ConformanceOptionError } from '../src/errors.js';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_SLACK_MS,
  DEFAULT_TICK_MS,
  resolveOptions,
} from '../src/options.js';

const createBackend = () => {
  throw new Error('not called while resolving options');
};

function optionError(fn: () => unknown): ConformanceOptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConformanceOptionError);
    return err as ConformanceOptionError;
  }
  throw new Error('expected a ConformanceOptionError');
}

describe('resolveOptions', () => {
  it('fills in the timing defaults and an empty skip set', () => {
    const r = resolveOptions({ name: 'x', createBackend });
    expect(r.timing).toEqual({
      leaseMs: DEFAULT_LEASE_MS,
      tickMs: DEFAULT_TICK_MS,
      slackMs: DEFAULT_SLACK_MS,
    });
    expect([...r.skip]).toEqual([]);
  });

  it('keeps the caller timing and known skip names', () => {
    const r = resolveOptions({
      name: 'x',
      createBackend,
      timing: { leaseMs: 1000, tickMs: 100, slackMs: 0 },
      skip: ['locks', 'events'],
    });
    expect(r.timing).toEqual({ leaseMs: 1000, tickMs: 100, slackMs: 0 });
    expect([...r.skip].sort()).toEqual(['events', 'locks']);
  });

  it('refuses an unknown concern name in skip, listing the known ones', () => {
    const err = optionError(() => resolveOptions({ name: 'x', createBackend, skip: ['lock'] }));
    expect(err.option).toBe('skip');
    expect(err.code).toBe('MQ_CONFORMANCE_OPTION');
    expect(err.message).toContain('"lock"');
    expect(err.message).toContain('locks');
  });

  it('refuses a lease under 50 ms and non-integer or negative timing', () => {
    expect(
      optionError(() => resolveOptions({ name: 'x', createBackend, timing: { leaseMs: 20 } }))
        .option,
    ).toBe('timing.leaseMs');
    expect(
      optionError(() => resolveOptions({ name: 'x', createBackend, timing: { tickMs: 0.5 } }))
        .option,
    ).toBe('timing.tickMs');
    expect(
      optionError(() => resolveOptions({ name: 'x', createBackend, timing: { slackMs: -1 } }))
        .option,
    ).toBe('timing.slackMs');
  });

  it('refuses a missing name or factory', () => {
    expect(optionError(() => resolveOptions({ name: '', createBackend })).option).toBe('name');
    expect(
      optionError(() => resolveOptions({ name: 'x', createBackend: undefined as never })).option,
    ).toBe('createBackend');
  });
});
