import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, JobRecord } from '@mq/core';
import type { Children, Child } from './children.js';
import { openBackend, type ProducerConfig, type WorkerConfig } from './children/config.js';
import { FaultChildError } from './errors.js';
import { readLedger } from './ledger.js';
import { BlackHoleProxy } from './proxy.js';
import { claimDir, ownerAlive } from './servers/shell.js';
import { type Fault, type Figures, figures } from './metrics.js';
import type { Scenario } from './scenarios/scenario.js';
import type { FaultTarget } from './targets.js';

/** The load of every scenario. */
export interface LoadSettings {
  workers: number;
  concurrency: number;
  jobMs: number;
  leaseMs: number;
  stalledIntervalMs: number;
  perSecond: number;
  loadMs: number;
  /** Longest wait for the queue to drain after the load, ms. */
  drainTimeoutMs: number;
}

/** One cell's outcome. */
export interface Cell {
  figures: Figures;
  faults: Fault[];
  /** Wall time of the whole run, ms. */
  wallMs: number;
  /** Load end → queue drained, ms (null: it did not drain). */
  drainMs: number | null;
  notes: string[];
}

const LEDGER_PREFIX = 'mq-faults-ledger-';

/** Removes ledger dirs left by a suite that was killed (only when their owner is gone). */
export function removeStaleLedgers(): void {
  for (const name of readdirSync(tmpdir()))
    if (name.startsWith(LEDGER_PREFIX) && !ownerAlive(join(tmpdir(), name)))
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitReady(dir: string, pids: number[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ready = new Set(
      readLedger(dir)
        .filter((e) => e.ev === 'ready')
        .map((e) => e.pid),
    );
    if (pids.every((p) => ready.has(p))) return;
    await sleep(100);
  }
  throw new FaultChildError(`workers ${pids.join(', ')} not ready within ${timeoutMs} ms`);
}

/** Retries a call on a backend that may be reconnecting (after a fault). */
async function retry<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(200);
    }
  }
}

async function records(admin: Backend, queue: string, ids: string[]) {
  const out = new Map<string, JobRecord | null>();
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const got = await Promise.all(chunk.map((id) => retry(() => admin.admin.get(queue, id))));
    chunk.forEach((id, k) => {
      out.set(id, got[k] ?? null);
    });
  }
  return out;
}

/**
 * Runs one scenario on one target: starts the workers and a producer as child
 * processes, injects the faults while the load runs, waits for the queue to drain,
 * stops every child, and counts the ledger against the store.
 */
export async function runCell(
  scenario: Scenario,
  target: FaultTarget,
  url: string,
  defaults: LoadSettings,
  children: Children,
): Promise<Cell> {
  const t0 = Date.now();
  const load = { ...defaults, ...scenario.load };
  const ledgerDir = mkdtempSync(join(tmpdir(), LEDGER_PREFIX));
  claimDir(ledgerDir);
  const queue = `q-${scenario.id}`;
  const admin = await openBackend(url);
  const notes: string[] = [];
  const proxied: { worker: Child; proxy: BlackHoleProxy }[] = [];
  try {
    await admin.ready();
    const workerCfg: WorkerConfig = {
      url,
      queue,
      ledgerDir,
      concurrency: load.concurrency,
      jobMs: load.jobMs,
      leaseMs: load.leaseMs,
      stalledIntervalMs: load.stalledIntervalMs,
    };
    const mine: Child[] = [];
    const spawnWorker = (cfg = workerCfg) => {
      const c = children.spawn('worker', cfg);
      mine.push(c);
      return c;
    };
    for (let i = 0; i < load.workers; i++) {
      if (scenario.proxied && target.serverPort !== undefined) {
        // Every worker behind a proxy of its own, so the one black-holed is like the others.
        const proxy = new BlackHoleProxy(target.serverPort);
        const via = target.url(scenario.id, await proxy.listen()) ?? url;
        proxied.push({ worker: spawnWorker({ ...workerCfg, url: via }), proxy });
      } else spawnWorker();
    }
    await waitReady(
      ledgerDir,
      mine.map((c) => c.pid),
      30_000,
    );
    const total = Math.round((load.perSecond * load.loadMs) / 1000);
    const producerCfg: ProducerConfig = {
      url,
      queue,
      ledgerDir,
      idPrefix: 'job',
      total,
      perSecond: load.perSecond,
      retryMs: 100,
    };
    const producer = children.spawn('producer', producerCfg);
    mine.push(producer);
    const loadStart = Date.now();
    const faults: Fault[] = [];
    await scenario.inject({
      target,
      children,
      spawnWorker: () => spawnWorker(),
      proxied,
      faults,
      until: loadStart + load.loadMs,
      admin,
      queue,
      notes,
    });
    const producerDone = await Promise.race([
      producer.exited.then(() => true),
      sleep(load.loadMs + load.drainTimeoutMs).then(() => false),
    ]);
    if (!producerDone) notes.push('producer did not finish its adds in time');
    const loadEnd = Date.now();
    let drainMs: number | null = null;
    const drainEnd = loadEnd + load.drainTimeoutMs;
    while (Date.now() < drainEnd) {
      const c = await admin.admin.counts(queue).catch(() => null);
      if (c && c.waiting + c.delayed + c.active === 0) {
        drainMs = Date.now() - loadEnd;
        break;
      }
      await sleep(100);
    }
    if (drainMs === null) notes.push(`queue not drained ${load.drainTimeoutMs} ms after the load`);
    await stopAll(children, mine);
    const ids = Array.from({ length: total }, (_, n) => `job-${n}`);
    const recs = await records(admin, queue, ids);
    const counts = await retry(() => admin.admin.counts(queue));
    const storeTotal = Object.values(counts).reduce((a, b) => a + b, 0);
    const crashed = mine.filter((c) => c.fate === 'crashed');
    for (const c of crashed)
      notes.push(`${c.role} ${c.pid} crashed: ${c.stderr.trim().slice(-300)}`);
    const fig = figures({
      events: readLedger(ledgerDir),
      faults,
      records: recs,
      storeTotal,
      crashed: crashed.length,
      hung: mine.filter((c) => c.fate === 'hung').length,
    });
    if (process.env.MQ_FAULTS_KEEP_LEDGER === '1') console.log(JSON.stringify(faults));
    return { figures: fig, faults, wallMs: Date.now() - t0, drainMs, notes };
  } finally {
    for (const p of proxied) p.proxy.close();
    await admin.close().catch(() => {});
    if (process.env.MQ_FAULTS_KEEP_LEDGER === '1') console.log(`  ledger kept in ${ledgerDir}`);
    else rmSync(ledgerDir, { recursive: true, force: true });
  }
}

async function stopAll(children: Children, mine: Child[]): Promise<void> {
  // Only this cell's children: SIGTERM, 10 s to close (workers close within 3 s + 2 s).
  const live = mine.filter((c) => c.fate === 'running');
  for (const c of live) c.proc.kill('SIGTERM');
  await Promise.all(
    live.map(async (c) => {
      const late = await Promise.race([c.exited.then(() => false), sleep(10_000).then(() => true)]);
      if (late) {
        c.fate = 'hung';
        await children.kill9(c).catch(() => {});
        c.fate = 'hung';
      }
    }),
  );
}
