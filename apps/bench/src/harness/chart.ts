import type { SuiteResult } from './results.js';
import { formatValue } from './run-suite.js';

const COLORS = ['#2563eb', '#f97316', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];
const PAD = 12;
const NAME_W = 200;
const BAR_W = 560;
const VALUE_W = 100;
const BAR_H = 14;
const BAR_GAP = 3;
const TITLE_H = 18;
const GROUP_GAP = 14;
const TOP = 40;

/**
 * A horizontal grouped bar chart of the medians: one group per metric (its label on top),
 * one bar per system (named on the left), each group scaled to its own largest value
 * since units differ between groups, and the value written after each bar. Hand-rolled
 * SVG, no dependency.
 */
export function renderSvg(r: SuiteResult): string {
  const width = PAD + NAME_W + BAR_W + VALUE_W + PAD;
  const groupH = TITLE_H + r.columns.length * (BAR_H + BAR_GAP) + GROUP_GAP;
  const height = TOP + r.rows.length * groupH + PAD;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${esc(r.title)}">`,
    `<title>${esc(r.title)}: medians, each group scaled to its largest value</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PAD}" y="24" font-size="15" font-weight="bold">${esc(r.title)}</text>`,
  ];
  r.rows.forEach((row, g) => {
    const y0 = TOP + g * groupH;
    const hint = row.metric.better === 'lower' ? ', lower is better' : '';
    out.push(
      `<text x="${PAD}" y="${y0 + 12}" font-weight="bold">${esc(`${row.metric.label} [${row.metric.unit}${hint}]`)}</text>`,
    );
    const values = row.cells.map((c) => (c.kind === 'ok' ? c.summary.median : null));
    const max = Math.max(...values.map((v) => v ?? 0));
    values.forEach((v, i) => {
      const y = y0 + TITLE_H + i * (BAR_H + BAR_GAP);
      const textY = y + BAR_H - 3;
      const name = r.columns[i]?.label ?? '';
      out.push(`<text x="${PAD}" y="${textY}">${esc(name)}</text>`);
      const x = PAD + NAME_W;
      if (v === null) {
        out.push(`<text x="${x}" y="${textY}" fill="#888">n/a</text>`);
        return;
      }
      const w = max > 0 ? Math.max(1, (v / max) * BAR_W) : 1;
      const color = COLORS[i % COLORS.length];
      out.push(
        `<rect x="${x}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${color}"/>`,
      );
      out.push(
        `<text x="${(x + w + 4).toFixed(1)}" y="${textY}">${esc(formatValue(v, row.metric.unit))}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function esc(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
