/**
 * A worker process of the fault suite: runs jobs that sleep `jobMs`, and records every
 * execution in its own ledger file. Closes gracefully on SIGTERM.
 */
import { sleep, Worker } from '@mq/core';
import { LedgerWriter } from '../ledger.js';
import { exitWithParent, openBackend, readConfig, type WorkerConfig } from './config.js';

const cfg = readConfig<WorkerConfig>();
exitWithParent();
const ledger = new LedgerWriter(cfg.ledgerDir, 'worker');
const backend = await openBackend(cfg.url);
let lastError = 0;
const worker = new Worker<unknown, number>(
  cfg.queue,
  async (job) => {
    ledger.write('start', { job: job.id, attempt: job.attemptsStarted });
    await sleep(cfg.jobMs);
    ledger.write('done', { job: job.id, attempt: job.attemptsStarted });
    return job.attemptsStarted;
  },
  {
    backend,
    concurrency: cfg.concurrency,
    leaseMs: cfg.leaseMs,
    stalledIntervalMs: cfg.stalledIntervalMs,
    // Many kills can orphan one job several times; it must still complete, not fail.
    maxStalls: 50,
    // Short so a worker that lost its server asks again soon after it is back.
    idleWaitMs: 1000,
    callTimeoutMs: 5000,
    autorun: false,
  },
);
worker.on('completed', (job) =>
  ledger.write('completed', { job: job.id, attempt: job.attemptsStarted }),
);
worker.on('lost', (id, err) => ledger.write('lost', { job: id, info: err.message }));
worker.on('error', (err) => {
  // Errors come in bursts during an outage: one line per 200 ms is enough.
  const now = Date.now();
  if (now - lastError < 200) return;
  lastError = now;
  ledger.write('error', { info: err instanceof Error ? err.message : String(err) });
});
let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void (async () => {
    await worker.close({ timeoutMs: 3000 });
    await backend.close();
    ledger.close();
    process.exit(0);
  })();
});
await backend.ready();
const running = worker.run();
ledger.write('ready');
await running;
