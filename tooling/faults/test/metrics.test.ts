import type { JobRecord } from '@mq/core';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../src/ledger.js';
import { type Fault, failures, figures } from '../src/metrics.js';

// The counting rules of the suite, on ledgers written by hand: the suite must see a loss,
// a double completion or an unbounded re-run when there is one.

const rec = (id: string, state: JobRecord['state'], attemptsMade = 1) =>
  ({ id, state, attemptsMade }) as JobRecord;

const ev = (t: number, pid: number, e: LedgerEvent['ev'], job?: string): LedgerEvent => ({
  t,
  pid,
  ev: e,
  ...(job ? { job } : {}),
});

const base = { storeTotal: 0, crashed: 0, hung: 0 };

describe('fault suite figures', () => {
  it('counts a crashed execution re-run elsewhere within the bound, and its re-run time', () => {
    const events = [
      ev(0, 9, 'acked', 'a'),
      ev(1, 1, 'start', 'a'),
      ev(5000, 2, 'start', 'a'),
      ev(5030, 2, 'completed', 'a'),
    ];
    const faults: Fault[] = [{ label: 'kill', at: 10, end: 10, pid: 1 }];
    const f = figures({
      ...base,
      events,
      faults,
      records: new Map([['a', rec('a', 'completed')]]),
      storeTotal: 1,
    });
    expect(f).toMatchObject({ extra: 1, inFlight: 1, rerunMs: 5020, recoveryMs: 5020 });
    expect(failures(f)).toEqual([]);
  });

  it('fails on an acknowledged add missing from the store and on a job never finished', () => {
    const events = [ev(0, 9, 'acked', 'a'), ev(0, 9, 'acked', 'b')];
    const f = figures({
      ...base,
      events,
      faults: [],
      records: new Map([
        ['a', null],
        ['b', rec('b', 'waiting')],
      ]),
      storeTotal: 1,
    });
    expect(f).toMatchObject({ ackedLost: 1, jobsLost: 1 });
    expect(failures(f)).toHaveLength(2);
  });

  it('fails on a completion accepted twice, in the ledger or in the store', () => {
    const events = [
      ev(0, 9, 'acked', 'a'),
      ev(0, 9, 'acked', 'b'),
      ev(1, 1, 'start', 'a'),
      ev(2, 1, 'completed', 'a'),
      ev(3, 2, 'start', 'a'),
      ev(4, 2, 'completed', 'a'),
    ];
    const f = figures({
      ...base,
      events,
      faults: [],
      records: new Map([
        ['a', rec('a', 'completed')],
        ['b', rec('b', 'completed', 2)],
      ]),
      storeTotal: 2,
    });
    expect(f.doubleCompleted).toBe(2);
    // Two starts of `a` with no fault to explain them: beyond the bound.
    expect(failures(f)).toContain('1 extra executions > 0 in flight');
  });

  it('fails on a second job made by a retried add, and graceful stops allow no re-run', () => {
    const events = [
      ev(0, 9, 'acked', 'a'),
      ev(1, 1, 'start', 'a'),
      ev(2, 2, 'start', 'a'),
      ev(3, 2, 'completed', 'a'),
    ];
    const f = figures({
      ...base,
      events,
      faults: [{ label: 'sigterm', at: 1, end: 2, pid: 1, graceful: true }],
      records: new Map([['a', rec('a', 'completed')]]),
      storeTotal: 2,
    });
    expect(f).toMatchObject({ dupAdds: 1, extra: 1, inFlight: 0 });
    expect(failures(f)).toHaveLength(2);
  });
});
