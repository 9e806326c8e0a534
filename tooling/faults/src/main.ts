/**
 * The fault suite: for every scenario × backend, runs workers and a producer as child
 * processes against private servers, injects the faults, and counts from an independent
 * ledger what was lost or run twice. Prints one table; exits 1 on any loss, double
 * completion, crash or hang.
 */
import { Children } from './children.js';
import { openBackend } from './children/config.js';
import { fuzzBackend, fuzzFailed } from './fuzz.js';
import { type FuzzOutcome, type Outcome, failed, renderFuzz, renderTable } from './table.js';
import { removeStaleLedgers, runCell } from './harness.js';
import { parseOptions, USAGE } from './options.js';
import { SCENARIOS } from './scenarios/index.js';
import { createTargets } from './targets.js';

const opts = parseOptions(process.argv.slice(2));
if (opts === null) {
  console.log(USAGE);
  process.exit(0);
}
const t0 = Date.now();
removeStaleLedgers();
const children = new Children(opts.verbose);
const targets = createTargets(opts, opts.backends);
const cleanup = () => {
  children.killAll();
  for (const t of targets) t.destroy();
};
process.once('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(sig, () => {
    cleanup();
    process.exit(130);
  });

const scenarios = SCENARIOS.filter((s) => !opts.scenarios || opts.scenarios.includes(s.id));
const { load } = opts;
console.log(
  `fault suite: ${scenarios.length} scenarios × ${targets.length} backends; per cell ` +
    `${load.workers} worker processes × concurrency ${load.concurrency}, jobs of ${load.jobMs} ms, ` +
    `${load.perSecond} adds/s for ${load.loadMs} ms, leaseMs ${load.leaseMs}, stalledIntervalMs ${load.stalledIntervalMs}`,
);
const outcomes: Outcome[] = [];
const fuzzRows: FuzzOutcome[] = [];
const fuzzing = !opts.scenarios || opts.scenarios.includes('bad-input');
/** Hostile calls per backend: each is a few ms, plus two count reads. */
const FUZZ_RUNS = 1000;
for (const target of targets) {
  const started = Date.now();
  try {
    await target.start();
  } catch (err) {
    for (const s of scenarios)
      outcomes.push({ scenario: s.id, backend: target.name, error: String(err) });
    continue;
  }
  console.log(`${target.name}: private server up in ${Date.now() - started} ms`);
  for (const scenario of scenarios) {
    const base = { scenario: scenario.id, backend: target.name };
    const skip = scenario.skip(target);
    const url = target.url(scenario.id);
    if (skip !== null || url === null) {
      outcomes.push({ ...base, skipped: skip ?? 'not shared across processes' });
      continue;
    }
    try {
      const cell = await runCell(scenario, target, url, load, children);
      outcomes.push({ ...base, cell });
      const f = cell.figures;
      console.log(
        `  ${scenario.id}: ${f.jobs} jobs, ${cell.faults.length} faults, ` +
          `${failed({ ...base, cell }) ? 'FAIL' : 'ok'} in ${cell.wallMs} ms`,
      );
    } catch (err) {
      outcomes.push({ ...base, error: err instanceof Error ? err.message : String(err) });
      console.log(`  ${scenario.id}: ERROR ${String(err)}`);
    }
  }
  if (fuzzing) {
    try {
      const backend = await openBackend(target.fuzzUrl());
      await backend.ready();
      try {
        const figures = await fuzzBackend(backend, FUZZ_RUNS);
        fuzzRows.push({ backend: target.name, figures });
        console.log(`  bad-input: ${figures.calls} calls, ${fuzzFailed(figures) ? 'FAIL' : 'ok'}`);
      } finally {
        await backend.close();
      }
    } catch (err) {
      fuzzRows.push({
        backend: target.name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  target.destroy();
}
console.log('');
console.log(renderTable(outcomes));
if (fuzzing)
  console.log(
    `\nbad input (fast-check, seed 13, ${FUZZ_RUNS} calls per backend):\n${renderFuzz(fuzzRows)}`,
  );
const bad =
  outcomes.filter(failed).length +
  fuzzRows.filter((r) => 'error' in r || fuzzFailed(r.figures)).length;
console.log(
  `\n${bad === 0 ? 'all cells pass' : `${bad} cell(s) FAIL`}; suite took ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
process.exit(bad === 0 ? 0 : 1);
