import { describe, expect, it } from 'vitest';
import { ValidationError, assertRepeatSpec, nextTick } from '../src/index.js';

const t = (iso: string) => Date.parse(iso);

describe('nextTick', () => {
  it('every: ticks are aligned to startDate so every scheduler computes the same ones', () => {
    const spec = { every: 1000, startDate: t('2026-01-01T00:00:00.500Z') };
    expect(nextTick(spec, t('2026-01-01T00:00:03.700Z'))).toBe(t('2026-01-01T00:00:04.500Z'));
    expect(nextTick(spec, t('2026-01-01T00:00:04.500Z'))).toBe(t('2026-01-01T00:00:05.500Z'));
    // Before startDate the first tick is startDate itself.
    expect(nextTick(spec, t('2025-12-31T00:00:00Z'))).toBe(spec.startDate);
  });

  it('cron in UTC and in a time zone', () => {
    const after = t('2026-03-10T12:00:00Z');
    expect(nextTick({ cron: '0 8 * * *' }, after)).toBe(t('2026-03-11T08:00:00Z'));
    expect(nextTick({ cron: '0 8 * * *', tz: 'America/New_York' }, after)).toBe(
      t('2026-03-11T12:00:00Z'),
    );
  });

  it('spring forward: 02:30 does not exist on 2026-03-08 in New York; the day still fires once', () => {
    const spec = { cron: '30 2 * * *', tz: 'America/New_York' };
    const before = t('2026-03-07T08:00:00Z'); // 03:00 EST on the 7th
    const first = nextTick(spec, before)!;
    expect(first).toBe(t('2026-03-08T07:30:00Z')); // 02:30 EST on the 8th does not exist…
    const second = nextTick(spec, first)!;
    expect(second).toBe(t('2026-03-09T06:30:00Z')); // …then 02:30 EDT on the 9th
  });

  it('fall back: 01:30 happens twice on 2026-11-01 in New York; the schedule fires once that day', () => {
    const spec = { cron: '30 1 * * *', tz: 'America/New_York' };
    const first = nextTick(spec, t('2026-10-31T12:00:00Z'))!;
    expect(first).toBe(t('2026-11-01T05:30:00Z')); // 01:30 EDT
    const second = nextTick(spec, first)!;
    expect(second).toBe(t('2026-11-02T06:30:00Z')); // next day, 01:30 EST — not 06:30Z on the 1st
  });

  it('endDate and limit end the schedule', () => {
    expect(nextTick({ every: 1000, endDate: 5000 }, 4500)).toBe(5000);
    expect(nextTick({ every: 1000, endDate: 5000 }, 5000)).toBeNull();
    expect(nextTick({ every: 1000, limit: 3 }, 0, 3)).toBeNull();
    expect(nextTick({ every: 1000, limit: 3 }, 0, 2)).toBe(1000);
  });
});

describe('assertRepeatSpec', () => {
  const bad = (spec: object, path: string) => {
    try {
      assertRepeatSpec(spec);
      expect.fail('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
  };

  it('rejects a bad cron, an unknown zone, both or neither of cron/every, and end before start', () => {
    bad({ cron: 'every tuesday' }, '/repeat/cron');
    bad({ cron: '* * * * *', tz: 'Mars/Olympus' }, '/repeat/tz');
    bad({ cron: '* * * * *', every: 10 }, '/repeat');
    bad({}, '/repeat');
    bad({ every: 10, startDate: 10, endDate: 5 }, '/repeat/endDate');
    bad({ every: 0 }, '/repeat/every');
  });

  it('accepts valid specs', () => {
    expect(() => assertRepeatSpec({ cron: '*/5 * * * *', tz: 'Europe/Paris' })).not.toThrow();
    expect(() => assertRepeatSpec({ every: 60_000, limit: 10 })).not.toThrow();
  });
});
