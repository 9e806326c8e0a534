import { describe, expect, it } from 'vitest';
import { NotMeasurableError } from '../src/errors.js';
import { runSuite } from '../src/harness/run-suite.js';
import type { Suite } from '../src/harness/scenario.js';
import type { BenchSystem, SystemFactory } from '../src/systems/system.js';

/** An in-process system whose drain takes `ms` per call, for harness logic only. */
function fakeFactory(
  id: string,
  behaviour: { drainMs?: number; hang?: boolean; notMeasurable?: boolean },
  journal: string[],
): SystemFactory {
  return {
    id,
    label: id,
    ours: id === 'ours',
    notes: `${id} notes`,
    check: async () => null,
    create: (runId): BenchSystem => ({
      setup: async () => {
        journal.push(`${id}:setup:${runId}`);
      },
      addSingle: async () => 1,
      addBulk: async () => 1,
      drain: async (n) => {
        journal.push(`${id}:drain`);
        if (behaviour.notMeasurable) throw new NotMeasurableError('not meaningful here');
        if (behaviour.hang) await new Promise(() => {});
        return { ms: behaviour.drainMs ?? 10, completed: n };
      },
      latency: async () => [1],
      teardown: async () => {
        journal.push(`${id}:teardown`);
      },
    }),
  };
}

function suite(systems: SystemFactory[]): Suite {
  return {
    name: 'test',
    title: 'test',
    systems,
    servers: async () => ['server x'],
    notes: [],
    scenarios: [
      {
        id: 'drain',
        timeoutMs: 200,
        metrics: [{ id: 'drain', label: 'drain', unit: 'jobs/s', better: 'higher' }],
        run: async (s) => ({ drain: (await s.drain(100, 1)).ms }),
      },
    ],
  };
}

const opts = { runs: 3, setupTimeoutMs: 1000, header: ['h'], log: () => {} };

describe('runSuite', () => {
  it('summarizes each system over the runs in rotating order, fresh instance each time', async () => {
    const journal: string[] = [];
    const r = await runSuite(
      suite([
        fakeFactory('ours', { drainMs: 5 }, journal),
        fakeFactory('peer', { drainMs: 20 }, journal),
      ]),
      opts,
    );
    const order = journal.filter((j) => j.endsWith(':drain')).map((j) => j.split(':')[0]);
    expect(order).toEqual(['ours', 'peer', 'peer', 'ours', 'ours', 'peer']);
    const setups = journal.filter((j) => j.includes(':setup:'));
    expect(new Set(setups).size).toBe(6);
    expect(journal.filter((j) => j.endsWith(':teardown'))).toHaveLength(6);
    expect(r.header).toEqual(['h', 'server x']);
    const [row] = r.rows;
    expect(row!.cells.map((c) => (c.kind === 'ok' ? c.summary.median : c.kind))).toEqual([5, 20]);
  });

  it('fails a run that exceeds its bound, names it, and still tears down', async () => {
    const journal: string[] = [];
    const r = await runSuite(suite([fakeFactory('stuck', { hang: true }, journal)]), {
      ...opts,
      runs: 1,
    });
    const cell = r.rows[0]!.cells[0]!;
    expect(cell.kind).toBe('failed');
    expect(cell.kind === 'failed' && cell.errors[0]).toMatch(
      /stuck drain: measurement did not finish within 200 ms/,
    );
    expect(journal).toContain('stuck:teardown');
  });

  it('marks a scenario a system cannot run meaningfully as n/a, not failed', async () => {
    const r = await runSuite(suite([fakeFactory('boss', { notMeasurable: true }, [])]), opts);
    expect(r.rows[0]!.cells[0]).toEqual({ kind: 'skipped', reason: 'not meaningful here' });
  });

  it('interleaves scenarios pass by pass, so drift spreads over every row', async () => {
    const journal: string[] = [];
    const base = suite([fakeFactory('ours', {}, [])]);
    const tagged = (id: string) => ({
      ...base.scenarios[0]!,
      id,
      run: async () => {
        journal.push(id);
        return { drain: 1 };
      },
    });
    await runSuite({ ...base, scenarios: [tagged('a'), tagged('b')] }, { ...opts, runs: 2 });
    expect(journal).toEqual(['a', 'b', 'a', 'b']);
  });

  it('skips systems whose check fails and says why', async () => {
    const down: SystemFactory = {
      ...fakeFactory('down', {}, []),
      check: async () => 'server down',
    };
    const r = await runSuite(suite([down, fakeFactory('up', {}, [])]), { ...opts, runs: 1 });
    expect(r.skipped).toEqual([{ label: 'down', reason: 'server down' }]);
    expect(r.columns.map((c) => c.id)).toEqual(['up']);
  });
});
