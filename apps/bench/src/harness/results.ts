import type { Metric } from './scenario.js';
import type { Summary } from './stats.js';

/** One system's figures for one metric: a summary, or why there is none. */
export type Cell =
  | { kind: 'ok'; summary: Summary; failedRuns: string[] }
  | { kind: 'failed'; errors: string[] }
  | { kind: 'skipped'; reason: string };

/** A column of the table. */
export interface Column {
  id: string;
  label: string;
  ours: boolean;
  notes: string;
}

/** Everything one suite run produced. */
export interface SuiteResult {
  name: string;
  title: string;
  startedAt: Date;
  header: string[];
  columns: Column[];
  skipped: { label: string; reason: string }[];
  rows: { metric: Metric; cells: Cell[] }[];
  notes: string[];
}
