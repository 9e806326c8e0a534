import { NotMeasurableError } from '../errors.js';
import type { SystemFactory } from '../systems/system.js';
import type { Cell, Column, SuiteResult } from './results.js';
import type { Scenario, Suite, Unit } from './scenario.js';
import { summarize } from './stats.js';
import { withTimeout } from './timeout.js';

/** How a suite is run. */
export interface RunOptions {
  /** Measurements per system per scenario (medians need 3 or more). */
  runs: number;
  /** Bound of setup and of teardown, each, in ms. */
  setupTimeoutMs: number;
  /** Header lines (machine, versions, command). */
  header: string[];
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

let runCounter = 0;

/** Unique per measurement: lower case letters and digits (safe in keys, schemas, names). */
function nextRunId(): string {
  runCounter++;
  return `${Date.now().toString(36)}${process.pid.toString(36)}${runCounter.toString(36)}`;
}

/**
 * Runs every scenario `runs` times on every available system. Each measurement gets a
 * fresh instance in its own namespace, torn down afterwards, and every step is bounded
 * in time. Systems take turns in a rotating order so slow drift (other load, caches,
 * autovacuum) does not always favour the same one.
 */
export async function runSuite(suite: Suite, opts: RunOptions): Promise<SuiteResult> {
  const startedAt = new Date();
  const available: SystemFactory[] = [];
  const skipped: { label: string; reason: string }[] = [];
  for (const f of suite.systems) {
    const reason = await f.check();
    if (reason === null) available.push(f);
    else {
      skipped.push({ label: f.label, reason });
      opts.log(`[${suite.name}] skipping ${f.label}: ${reason}`);
    }
  }
  const columns: Column[] = available.map((f) => ({
    id: f.id,
    label: f.label,
    ours: f.ours,
    notes: f.notes,
  }));
  // Run-major: each pass measures every scenario once, so drift over the minutes a
  // suite takes (other load, autovacuum) spreads over all rows instead of skewing one.
  const outcomes: Outcome[][][] = suite.scenarios.map(() => available.map(() => []));
  for (let r = 0; r < opts.runs; r++) {
    for (const [k, scenario] of suite.scenarios.entries()) {
      await runPass(suite.name, scenario, available, r, opts, outcomes[k]!);
    }
  }
  const rows: SuiteResult['rows'] = [];
  for (const [k, scenario] of suite.scenarios.entries()) {
    for (const metric of scenario.metrics) {
      const cells = available.map((_, s) => toCell(outcomes[k]![s]!, metric.id));
      rows.push({ metric, cells });
    }
  }
  return {
    name: suite.name,
    title: suite.title,
    startedAt,
    header: [...opts.header, ...(await suite.servers())],
    columns,
    skipped,
    rows,
    notes: suite.notes,
  };
}

type Outcome = { values: Record<string, number> } | { error: string } | { notMeasurable: string };

/** One pass of one scenario over every system, in an order rotated by the pass. */
async function runPass(
  suiteName: string,
  scenario: Scenario,
  systems: SystemFactory[],
  r: number,
  opts: RunOptions,
  outcomes: Outcome[][],
): Promise<void> {
  for (let k = 0; k < systems.length; k++) {
    const s = (k + r) % systems.length;
    const factory = systems[s]!;
    const outcome = await measureOnce(scenario, factory, opts);
    outcomes[s]!.push(outcome);
    const shown =
      'error' in outcome
        ? `FAILED: ${outcome.error}`
        : 'notMeasurable' in outcome
          ? `n/a: ${outcome.notMeasurable}`
          : scenario.metrics
              .map((m) => `${m.id}=${formatValue(outcome.values[m.id] ?? Number.NaN, m.unit)}`)
              .join(' ');
    opts.log(`[${suiteName}] ${scenario.id} run ${r + 1}/${opts.runs} ${factory.label}: ${shown}`);
  }
}

async function measureOnce(
  scenario: Scenario,
  factory: SystemFactory,
  opts: RunOptions,
): Promise<Outcome> {
  const system = factory.create(nextRunId());
  const what = `${factory.label} ${scenario.id}`;
  let outcome: Outcome;
  try {
    await withTimeout(`${what}: setup`, opts.setupTimeoutMs, system.setup());
    outcome = {
      values: await withTimeout(`${what}: measurement`, scenario.timeoutMs, scenario.run(system)),
    };
  } catch (err) {
    outcome =
      err instanceof NotMeasurableError ? { notMeasurable: err.message } : { error: message(err) };
  }
  try {
    await withTimeout(`${what}: teardown`, opts.setupTimeoutMs, system.teardown());
  } catch (err) {
    // A failed teardown taints the figures only if the measurement itself failed.
    opts.log(`[warn] ${what}: teardown failed: ${message(err)}`);
  }
  return outcome;
}

function toCell(outcomes: Outcome[], metricId: string): Cell {
  const values: number[] = [];
  const failedRuns: string[] = [];
  for (const o of outcomes) {
    if ('notMeasurable' in o) return { kind: 'skipped', reason: o.notMeasurable };
    if ('error' in o) failedRuns.push(o.error);
    else {
      const v = o.values[metricId];
      if (v !== undefined && Number.isFinite(v)) values.push(v);
    }
  }
  if (values.length === 0) return { kind: 'failed', errors: failedRuns };
  return { kind: 'ok', summary: summarize(values), failedRuns };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A value with its unit's precision: jobs/s as integers, ms and µs with two decimals. */
export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return 'n/a';
  return unit === 'jobs/s' ? Math.round(v).toLocaleString('en-US') : v.toFixed(v < 10 ? 2 : 1);
}
