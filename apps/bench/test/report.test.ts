import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/harness/chart.js';
import type { SuiteResult } from '../src/harness/results.js';
import { ratioValue, renderMarkdown } from '../src/harness/table.js';

const ok = (median: number) => ({
  kind: 'ok' as const,
  summary: { median, min: median * 0.9, max: median * 1.1, n: 3 },
  failedRuns: [],
});

const result: SuiteResult = {
  name: 'redis',
  title: 'ours vs peer',
  startedAt: new Date(0),
  header: ['Machine: test'],
  columns: [
    { id: 'mq', label: 'ours', ours: true, notes: 'ours: defaults' },
    { id: 'peer', label: 'peer', ours: false, notes: 'peer: defaults' },
  ],
  skipped: [{ label: 'other', reason: 'not built' }],
  rows: [
    {
      metric: { id: 'drain', label: 'drain', unit: 'jobs/s', better: 'higher' },
      cells: [ok(3000), ok(1000)],
    },
    { metric: { id: 'p50', label: 'p50', unit: 'ms', better: 'lower' }, cells: [ok(1), ok(4)] },
    {
      metric: { id: 'c1', label: 'c1', unit: 'jobs/s', better: 'higher' },
      cells: [ok(10), { kind: 'skipped', reason: 'polls between jobs' }],
    },
    {
      metric: { id: 'c2', label: 'c2', unit: 'jobs/s', better: 'higher' },
      cells: [ok(10), { kind: 'failed', errors: ['timed out'] }],
    },
  ],
  notes: ['a note'],
};

describe('renderMarkdown', () => {
  it('orients ratios so that above 1× means ours is better', () => {
    const [drain, p50] = result.rows;
    expect(ratioValue(drain!.cells[0]!, drain!.cells[1]!, drain!.metric)).toBe(3);
    expect(ratioValue(p50!.cells[0]!, p50!.cells[1]!, p50!.metric)).toBe(4);
  });

  it('prints medians with ranges, ratios, n/a and failures with their reasons', () => {
    // Cells are padded to align the columns; compare with single spaces.
    const md = renderMarkdown(result).replace(/ {2,}/g, ' ');
    expect(md).toContain('| scenario | ours | peer | ours vs peer |');
    expect(md).toMatch(/\| -{25} \| -+: \|/);
    expect(md).toContain('| drain [jobs/s] | 3,000 (2,700–3,300) | 1,000 (900–1,100) | 3.00× |');
    expect(md).toContain(
      '| p50 [ms, lower is better] | 1.00 (0.90–1.10) | 4.00 (3.60–4.40) | 4.00× |',
    );
    expect(md).toContain('| c1 [jobs/s] | 10 (9–11) | n/a | – |');
    expect(md).toContain('- peer: polls between jobs');
    expect(md).toContain('- peer, c2: timed out');
    expect(md).toContain('- other: not built');
    expect(md).toContain('- ours: defaults');
  });
});

describe('renderSvg', () => {
  it('draws one bar per available median, with a title', () => {
    const svg = renderSvg(result);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title>ours vs peer');
    // 4 rows x 2 systems, minus the n/a and failed cells, plus the background.
    expect(svg.match(/<rect /g)?.length).toBe(6 + 1);
    expect(svg.match(/>n\/a</g)?.length).toBe(2);
  });
});
