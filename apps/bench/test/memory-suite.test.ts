import { describe, expect, it } from 'vitest';
import { runSuite } from '../src/harness/run-suite.js';
import { memorySuite } from '../src/suites/memory.js';
import { mqMemory } from '../src/systems/our-backends.js';

// The memory suite end to end on the real @mq/memory, small enough to run in a second.
const problem = await mqMemory().check();

describe.skipIf(problem !== null)('memory suite', () => {
  it('measures every scenario and completes every job exactly once', async () => {
    const r = await runSuite(memorySuite({ jobs: 2000, concurrency: [1, 10], timeoutMs: 20_000 }), {
      runs: 1,
      setupTimeoutMs: 10_000,
      header: [],
      log: () => {},
    });
    expect(r.rows.map((row) => row.metric.label)).toEqual([
      'add 2,000, single (10 in flight)',
      'addBulk 2,000 (batches of 1,000)',
      'drain 2,000, c=1',
      'drain 2,000, c=10',
    ]);
    for (const row of r.rows) {
      const [cell] = row.cells;
      expect(cell?.kind, JSON.stringify(cell)).toBe('ok');
      if (cell?.kind === 'ok') expect(cell.summary.median).toBeGreaterThan(0);
    }
  });
});
