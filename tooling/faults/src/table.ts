import type { Cell } from './harness.js';
import { type FuzzFigures, fuzzFailed } from './fuzz.js';
import { failures } from './metrics.js';

/** One cell of the table: a run, or why the scenario does not apply. */
export type Outcome = { scenario: string; backend: string } & (
  | { cell: Cell }
  | { skipped: string }
  | { error: string }
);

const HEAD = [
  'scenario',
  'backend',
  'jobs',
  'acked lost',
  'jobs lost',
  'failed',
  'extra (in flight)',
  'double compl.',
  'dup adds',
  'recovery',
  're-run',
  'drain',
  'prod. errors',
  'crash/hung',
  'result',
];

const ms = (v: number | null) =>
  v === null ? '-' : v < 10_000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`;

function row(o: Outcome): string[] {
  if ('skipped' in o) return [o.scenario, o.backend, ...HEAD.slice(2, -1).map(() => ''), `n/a`];
  if ('error' in o) return [o.scenario, o.backend, ...HEAD.slice(2, -1).map(() => ''), 'ERROR'];
  const f = o.cell.figures;
  return [
    o.scenario,
    o.backend,
    String(f.jobs),
    String(f.ackedLost),
    String(f.jobsLost),
    String(f.failed),
    `${f.extra} (${f.inFlight})`,
    String(f.doubleCompleted),
    String(f.dupAdds),
    ms(f.recoveryMs),
    ms(f.rerunMs),
    ms(o.cell.drainMs),
    String(f.producerErrors),
    `${f.crashed}/${f.hung}`,
    failures(f).length === 0 && o.cell.drainMs !== null ? 'ok' : 'FAIL',
  ];
}

/** True when the outcome fails the suite. */
export function failed(o: Outcome): boolean {
  if ('skipped' in o) return false;
  if ('error' in o) return true;
  return failures(o.cell.figures).length > 0 || o.cell.drainMs === null;
}

/** The table as Markdown (it reads as text too), then the reasons of every failure. */
export function renderTable(outcomes: Outcome[]): string {
  const rows = [HEAD, ...outcomes.map(row)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const r of rows.slice(1)) out.push(line(r));
  const why: string[] = [];
  for (const o of outcomes) {
    const tag = `${o.scenario} × ${o.backend}`;
    if ('skipped' in o) why.push(`n/a   ${tag}: ${o.skipped}`);
    else if ('error' in o) why.push(`ERROR ${tag}: ${o.error}`);
    else {
      for (const r of failures(o.cell.figures)) why.push(`FAIL  ${tag}: ${r}`);
      for (const n of o.cell.notes) why.push(`note  ${tag}: ${n}`);
    }
  }
  return [...out, '', ...why].join('\n');
}

/** One backend's bad-input figures, or the error that stopped them. */
export type FuzzOutcome = { backend: string } & ({ figures: FuzzFigures } | { error: string });

/** The bad-input table, then the samples of every failure. */
export function renderFuzz(rows: FuzzOutcome[]): string {
  const head = [
    'backend',
    'calls',
    'accepted',
    'typed rejections',
    'untyped',
    'field not named',
    'wrote on reject',
    'result',
  ];
  const cells = rows.map((r) =>
    'error' in r
      ? [r.backend, '', '', '', '', '', '', 'ERROR']
      : [
          r.backend,
          String(r.figures.calls),
          String(r.figures.accepted),
          String(r.figures.typed),
          String(r.figures.untyped),
          String(r.figures.unnamed),
          String(r.figures.wroteOnReject),
          fuzzFailed(r.figures) ? 'FAIL' : 'ok',
        ],
  );
  const all = [head, ...cells];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ];
  for (const r of rows) {
    if ('error' in r) out.push(`ERROR bad-input × ${r.backend}: ${r.error}`);
    else for (const s of r.figures.samples) out.push(`FAIL  bad-input × ${r.backend}: ${s}`);
  }
  return out.join('\n');
}
