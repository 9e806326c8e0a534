/**
 * A producer process of the fault suite: adds `total` jobs at `perSecond` with custom
 * jobIds, retries a failed add with the same jobId until it is acknowledged, and
 * records every acknowledgement and error in its own ledger file. Exits 0 when done.
 */
import { Queue, sleep } from '@mq/core';
import { LedgerWriter } from '../ledger.js';
import { exitWithParent, openBackend, type ProducerConfig, readConfig } from './config.js';

const cfg = readConfig<ProducerConfig>();
exitWithParent();
const ledger = new LedgerWriter(cfg.ledgerDir, 'producer');
const backend = await openBackend(cfg.url);
await backend.ready();
const queue = new Queue(cfg.queue, { backend, events: false });
// Kept so the suite can check every job's final state (the defaults trim them).
const opts = { removeOnComplete: false, removeOnFail: false, attempts: 1 } as const;

async function addUntilAcked(n: number): Promise<void> {
  const jobId = `${cfg.idPrefix}-${n}`;
  for (;;) {
    try {
      const r = await queue.add('fault', { n }, { ...opts, jobId });
      ledger.write('acked', { job: jobId, info: r.status });
      return;
    } catch (err) {
      ledger.write('add-error', {
        job: jobId,
        info: err instanceof Error ? err.message : String(err),
      });
      await sleep(cfg.retryMs);
    }
  }
}

// Paced in ticks of 50 ms; a tick waits for its adds, so an outage slows the producer
// down instead of piling up adds in memory.
const tickMs = 50;
const perTick = Math.max(1, Math.round((cfg.perSecond * tickMs) / 1000));
let next = 0;
let due = Date.now();
while (next < cfg.total) {
  const batch: Promise<void>[] = [];
  for (let i = 0; i < perTick && next < cfg.total; i++) batch.push(addUntilAcked(next++));
  await Promise.all(batch);
  due += tickMs;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  else due = Date.now();
}
await queue.close();
await backend.close();
ledger.close();
process.exit(0);
