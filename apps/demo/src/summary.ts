import { type Column, paint, seconds, table } from './format.js';
import type { DemoResult, QueueReport } from './report.js';

const COLUMNS: Column[] = [
  { title: 'queue', align: 'left', style: 'bold' },
  { title: 'added' },
  { title: 'dedup hits' },
  { title: 'completed', style: 'green' },
  { title: 'failed', style: 'red' },
  { title: 'retried', style: 'yellow' },
  { title: 'wait p50' },
  { title: 'wait p99' },
];

const ms = (n: number) => `${Math.round(n)} ms`;

function row(q: QueueReport): string[] {
  return [
    q.name,
    String(q.added),
    String(q.deduplicated),
    String(q.completed),
    String(q.failed),
    String(q.retried),
    ms(q.waitP50Ms),
    ms(q.waitP99Ms),
  ];
}

function verdicts(r: DemoResult, colors: boolean): string[] {
  const sum = (f: (q: QueueReport) => number) => r.queues.reduce((n, q) => n + f(q), 0);
  const left = sum((q) => q.counts.waiting + q.counts.delayed + q.counts.active);
  const failed = sum((q) => q.counts.failed);
  const unrecoverable = sum((q) => q.failedUnrecoverable);
  const doomed = sum((q) => q.doomedIds.length);
  const ok = (s: string) => `${paint('✓', 'green', colors)} ${s}`;
  const bad = (s: string) => `${paint('✗', 'red', colors)} ${s}`;
  const lines: string[] = [];
  if (left === 0) lines.push(ok('every added job ended completed or failed'));
  else if (r.stopped)
    lines.push(`• ${left} jobs were not run (stopped early; memory is not durable)`);
  else lines.push(bad(`${left} jobs still waiting, delayed or active`));
  if (failed === unrecoverable && unrecoverable === doomed) {
    lines.push(ok(`the failed jobs are exactly the ${failed} meant to fail (UnrecoverableError)`));
    if (left === 0) lines.push(ok('every retried job completed in the end'));
  } else {
    lines.push(
      bad(`${failed} jobs failed, ${unrecoverable} unrecoverable, ${doomed} meant to fail`),
    );
  }
  for (const e of r.errors) lines.push(bad(e));
  return lines;
}

/**
 * The final summary: one row per queue and a total, then what was checked. Wait is
 * per attempt, from when the job was due (added, delay or backoff over) to its start.
 */
export function renderSummary(r: DemoResult, colors: boolean): string {
  const total: QueueReport = {
    name: 'total',
    added: 0,
    deduplicated: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    waitP50Ms: Number.NaN,
    waitP99Ms: Number.NaN,
    counts: { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 },
    doomedIds: [],
    failedUnrecoverable: 0,
  };
  for (const q of r.queues) {
    total.added += q.added;
    total.deduplicated += q.deduplicated;
    total.completed += q.completed;
    total.failed += q.failed;
    total.retried += q.retried;
  }
  const rows = r.queues.map(row);
  rows.push([...row(total).slice(0, 6), '', '']);
  const state = r.stopped ? 'stopped early' : r.settled ? 'all jobs settled' : 'deadline passed';
  return [
    '',
    `${paint('Summary', 'bold', colors)} · ${seconds(r.elapsedMs)} · ${state}`,
    '',
    ...table(COLUMNS, rows, colors).map((l) => `  ${l}`),
    '',
    ...verdicts(r, colors).map((l) => `  ${l}`),
    '',
  ].join('\n');
}
