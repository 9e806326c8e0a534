import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSvg } from './chart.js';
import type { SuiteResult } from './results.js';
import { renderMarkdown } from './table.js';

/** Where result files go: `apps/bench/results/`. */
export const RESULTS_DIR = fileURLToPath(new URL('../../results/', import.meta.url));

/**
 * Prints the markdown table to stdout and writes it, with its SVG chart beside it, to
 * `results/<suite>-<date>.md` / `.svg`. Returns the markdown path.
 */
export function publish(r: SuiteResult): string {
  const md = renderMarkdown(r);
  process.stdout.write(`\n${md}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const base = `${RESULTS_DIR}${r.name}-${stamp(r.startedAt)}`;
  writeFileSync(`${base}.md`, md);
  writeFileSync(`${base}.svg`, renderSvg(r));
  return `${base}.md`;
}

/** `2025-01-31-1405` in local time: sortable, one file per run. */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}
