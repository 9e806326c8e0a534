import type { Cell, Column, SuiteResult } from './results.js';
import { formatValue } from './run-suite.js';
import type { Metric } from './scenario.js';

/**
 * The suite as markdown: header lines, one row per metric with `median (min–max)` per
 * system, a ratio column per peer (ours ÷ peer for throughput, peer ÷ ours for latency,
 * so above 1× always means ours is better), then the notes.
 */
export function renderMarkdown(r: SuiteResult): string {
  const ours = r.columns.findIndex((c) => c.ours);
  const peers = r.columns.map((c, i) => ({ c, i })).filter(({ c }) => !c.ours);
  const ratioHeads = ours >= 0 ? peers.map(({ c }) => `ours vs ${c.label}`) : [];
  const head = ['scenario', ...r.columns.map((c) => c.label), ...ratioHeads];
  const body = r.rows.map((row) => {
    const cells = row.cells.map((cell) => renderCell(cell, row.metric));
    const ratios =
      ours >= 0 ? peers.map(({ i }) => ratio(row.cells[ours]!, row.cells[i]!, row.metric)) : [];
    return [metricLabel(row.metric), ...cells, ...ratios];
  });
  const lines = [
    `## ${r.title}`,
    '',
    ...r.header.map((h) => `- ${h}`),
    '',
    ...alignedTable(head, body),
  ];
  lines.push('', 'Each cell: median (min–max) over the runs.');
  if (ours >= 0 && peers.length > 0) {
    lines.push(
      'Ratio columns compare medians and read "how many times better ours is": ours ÷ peer ' +
        'for throughput, peer ÷ ours for latency.',
    );
  }
  if (r.skipped.length > 0) {
    lines.push('', 'Skipped:', '', ...r.skipped.map((s) => `- ${s.label}: ${s.reason}`));
  }
  const notMeasured = collectNotMeasured(r);
  if (notMeasured.length > 0) {
    lines.push('', 'n/a cells:', '', ...notMeasured.map((f) => `- ${f}`));
  }
  const failures = collectFailures(r);
  if (failures.length > 0) lines.push('', 'Failed runs:', '', ...failures.map((f) => `- ${f}`));
  lines.push('', 'How each system is configured:', '', ...r.columns.map((c) => `- ${c.notes}`));
  if (r.notes.length > 0) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/**
 * A markdown table padded the way the repo's formatter (Biome) writes one, so generated
 * reports pass `pnpm lint`: the first column left-aligned, the others right-aligned.
 */
function alignedTable(head: string[], body: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(3, h.length, ...body.map((row) => row[c]!.length)));
  const fit = (cell: string, c: number) =>
    c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!);
  const line = (cells: string[]) => `| ${cells.map(fit).join(' | ')} |`;
  const rule = widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [line(head), `| ${rule.join(' | ')} |`, ...body.map(line)];
}

function metricLabel(m: Metric): string {
  return m.better === 'lower'
    ? `${m.label} [${m.unit}, lower is better]`
    : `${m.label} [${m.unit}]`;
}

function renderCell(cell: Cell, m: Metric): string {
  switch (cell.kind) {
    case 'skipped':
      return 'n/a';
    case 'failed':
      return 'failed';
    case 'ok': {
      const { median, min, max, n } = cell.summary;
      const partial =
        cell.failedRuns.length > 0 ? ` [${n} ok, ${cell.failedRuns.length} failed]` : '';
      return `${formatValue(median, m.unit)} (${formatValue(min, m.unit)}–${formatValue(max, m.unit)})${partial}`;
    }
  }
}

/** Ratio of medians, oriented so that > 1 means ours is better. */
export function ratioValue(ours: Cell, peer: Cell, m: Metric): number | null {
  if (ours.kind !== 'ok' || peer.kind !== 'ok') return null;
  const a = ours.summary.median;
  const b = peer.summary.median;
  if (a <= 0 || b <= 0) return null;
  return m.better === 'higher' ? a / b : b / a;
}

function ratio(ours: Cell, peer: Cell, m: Metric): string {
  const v = ratioValue(ours, peer, m);
  return v === null ? '–' : `${v.toFixed(2)}×`;
}

function collectFailures(r: SuiteResult): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of r.rows) {
    row.cells.forEach((cell, i) => {
      const errors =
        cell.kind === 'failed' ? cell.errors : cell.kind === 'ok' ? cell.failedRuns : [];
      for (const e of errors) {
        const line = `${(r.columns[i] as Column).label}, ${row.metric.label}: ${e}`;
        if (!seen.has(line)) {
          seen.add(line);
          out.push(line);
        }
      }
    });
  }
  return out;
}

function collectNotMeasured(r: SuiteResult): string[] {
  const out = new Set<string>();
  for (const row of r.rows) {
    row.cells.forEach((cell, i) => {
      if (cell.kind === 'skipped') out.add(`${r.columns[i]!.label}: ${cell.reason}`);
    });
  }
  return [...out];
}
