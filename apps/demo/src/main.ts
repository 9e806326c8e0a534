#!/usr/bin/env node
import { backendFromUrl, closeOnSignals } from '@mq/core';
import { parseDemoArgs, USAGE } from './args.js';
import { DemoUsageError } from './errors.js';
import { startDashboard } from './dashboard.js';
import { runDemo } from './run-demo.js';
import { SHOW_CURSOR } from './view.js';

async function main(): Promise<void> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    args = parseDemoArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof DemoUsageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  // A second Ctrl-C exits at once (closeOnSignals): give the terminal its cursor back.
  if (process.stdout.isTTY) process.on('exit', () => process.stdout.write(SHOW_CURSOR));
  const backend = await backendFromUrl(args.backend, undefined, (pkg) => import(pkg));
  const dashboard =
    args.dashboardPort === null ? null : await startDashboard(backend, args.dashboardPort);
  if (dashboard)
    process.stdout.write(`Dashboard: ${dashboard.url}  (admin token: ${dashboard.token})\n`);
  const stop = new AbortController();
  const dispose = closeOnSignals([{ close: async () => stop.abort() }]);
  try {
    const result = await runDemo({ durationMs: args.durationMs, signal: stop.signal, backend });
    if (dashboard && process.stdout.isTTY && !stop.signal.aborted) {
      // On a terminal the dashboard outlives the run, to look around; Ctrl-C ends both.
      process.stdout.write(`Dashboard still at ${dashboard.url} — Ctrl-C to exit.\n`);
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve));
    }
    // No process.exit: the process ends when the last handle closes, which proves the
    // workers and the backend shut down cleanly.
    process.exitCode = result.stopped ? 130 : result.ok ? 0 : 1;
  } finally {
    dispose();
    await dashboard?.close();
    await backend.close();
  }
}

await main();
