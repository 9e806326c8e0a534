#!/usr/bin/env node
import { backendFromUrl, closeOnSignals } from '@mq/core';
import { parseCli, schedulerSettings, USAGE } from './cli-args.js';
import { Scheduler } from './scheduler.js';

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  // The backend package is the application's dependency, found from the working directory.
  const backend = await backendFromUrl(args.backend);
  const scheduler = new Scheduler({ backend, ...schedulerSettings(args) });
  scheduler.on('error', (err) => console.error(`[mq-scheduler] ${String(err)}`));
  await scheduler.start();
  console.log(scheduler.describe());
  closeOnSignals([scheduler, backend], {
    onError: (err) => console.error(`[mq-scheduler] ${String(err)}`),
  });
}

main().catch((err) => {
  console.error(`[mq-scheduler] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
