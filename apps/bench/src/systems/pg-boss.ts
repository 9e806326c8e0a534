import pg from 'pg';
import { PgBoss, type WorkOptions } from 'pg-boss';
import { NotMeasurableError } from '../errors.js';
import { packageVersion } from '../harness/versions.js';
import { POSTGRES_URL } from '../services.js';
import {
  addConcurrently,
  addInBatches,
  type BenchPayload,
  DrainClock,
  FILL_BATCH,
  LatencyProbe,
  sleep,
} from './drive.js';
import { dropSchema, pgServerInfo, quoteIdent, schemaName } from './pg-namespace.js';
import type { BenchSystem, DrainResult, SystemFactory } from './system.js';
import { runAllSteps } from './teardown.js';

/**
 * How pg-boss runs c jobs at once. Its `work()` fetches `batchSize` jobs per query and,
 * after each fetch, sleeps its polling interval (at least 0.5 s) unless a burst trigger
 * says there is more: `burstWhenBatchFull` keeps fetching while batches come back full,
 * but pg-boss ignores it at batchSize 1. So c jobs at once is one fetch loop of
 * batchSize c whose handler runs the batch concurrently, for c > 1.
 */
export function pgBossWorkOptions(concurrency: number): WorkOptions {
  return { batchSize: concurrency, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 };
}

/** Why a drain at c = 1 is not measured: at batchSize 1 pg-boss polls between jobs. */
const C1_REASON =
  'drain at c=1 not measured: pg-boss `work()` at batchSize 1 sleeps its polling interval ' +
  '(≥ 0.5 s; 30 s with notify) after every fetch and ignores burstWhenBatchFull, so it ' +
  'drains about 2 jobs/s by design; c=1 in pg-boss means fetching one job at a time.';

/** pg-boss in a fresh schema per run (pg-boss creates it on start, we drop it after). */
export function pgBoss(url = POSTGRES_URL): SystemFactory {
  return {
    id: 'pg-boss',
    label: `pg-boss ${packageVersion('pg-boss')}`,
    ours: false,
    notes:
      'pg-boss: `new PgBoss({ connectionString, schema, useListenNotify: true })`, queue ' +
      'created with `notify: true` (LISTEN/NOTIFY wake-ups, as its docs advise for ' +
      'latency); `send` for single adds, `insert` for bulk; `work()` with ' +
      '{ batchSize: c, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 }, its handler ' +
      'running the batch with Promise.all (pg-boss 10+ has no teamSize: batchSize is how it ' +
      'takes c jobs at once); completions counted when its job table shows them completed; ' +
      'the latency worker uses batchSize 1.',
    check: async () =>
      (await pgServerInfo(url)) === null ? `postgres at ${url} does not answer` : null,
    create: (runId) => new PgBossSystem(url, runId),
  };
}

class PgBossSystem implements BenchSystem {
  private boss: PgBoss | null = null;
  private readonly schema: string;
  private readonly name: string;
  private failed: Promise<never> = new Promise(() => {});
  private tornDown = false;

  constructor(
    private readonly url: string,
    runId: string,
  ) {
    this.schema = schemaName('boss', runId);
    this.name = `bench-${runId}`;
  }

  async setup(): Promise<void> {
    const boss = new PgBoss({
      connectionString: this.url,
      schema: this.schema,
      useListenNotify: true,
    });
    // The first error pg-boss emits fails the measurement: a bench run must not hide one.
    this.failed = new Promise<never>((_, reject) => boss.on('error', reject));
    this.failed.catch(() => {});
    this.boss = boss;
    await boss.start();
    await boss.createQueue(this.name, { notify: true });
  }

  addSingle(n: number, inFlight: number): Promise<number> {
    const boss = this.b();
    return addConcurrently(n, inFlight, (i) => boss.send(this.name, { i }));
  }

  addBulk(n: number, batch: number): Promise<number> {
    const boss = this.b();
    return addInBatches(n, batch, (ps) =>
      boss.insert(
        this.name,
        ps.map((data) => ({ data })),
      ),
    );
  }

  async drain(n: number, concurrency: number, waiting = n): Promise<DrainResult> {
    const boss = this.b();
    if (concurrency === 1) throw new NotMeasurableError(C1_REASON);
    await this.addBulk(waiting, FILL_BATCH);
    const clock = new DrainClock(n);
    let handled = 0;
    let confirming: Promise<void> | null = null;
    await boss.work<BenchPayload>(this.name, pgBossWorkOptions(concurrency), async (jobs) => {
      clock.onStart();
      await Promise.all(jobs.map(async () => {}));
      handled += jobs.length;
      // pg-boss completes the batch after the handler returns: confirm in its table.
      if (handled >= n && !confirming) {
        confirming = this.confirmSettled(waiting - n, clock, n).catch((err) => clock.fail(err));
      }
    });
    await Promise.race([clock.done, this.failed]);
    await boss.offWork(this.name, { wait: true });
    return { ms: clock.ms, completed: handled };
  }

  async latency(samples: number): Promise<number[]> {
    const boss = this.b();
    const probe = new LatencyProbe();
    const opts = { batchSize: 1, pollingIntervalSeconds: 0.5 };
    await boss.work<BenchPayload>(this.name, opts, async ([job]) => {
      if (job) probe.started(job.data.i);
    });
    const result = await Promise.race([
      probe.run(samples, (i) => boss.send(this.name, { i })),
      this.failed,
    ]);
    await boss.offWork(this.name, { wait: true });
    return result;
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    await runAllSteps([
      () => this.boss?.stop({ graceful: false, timeout: 5000 }),
      () => dropSchema(this.url, this.schema),
    ]);
  }

  /** Polls the job table until `left` jobs remain unsettled, then stops the clock. */
  private async confirmSettled(left: number, clock: DrainClock, n: number): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      const sql = `SELECT count(*)::int AS c FROM ${quoteIdent(this.schema)}.job WHERE name = $1 AND state < 'completed'`;
      for (;;) {
        const r = await client.query<{ c: number }>(sql, [this.name]);
        if ((r.rows[0]?.c ?? 0) <= left) break;
        await sleep(2);
      }
      clock.onCompleted(n);
    } finally {
      await client.end();
    }
  }

  private b(): PgBoss {
    if (!this.boss) throw new Error('setup() was not called');
    return this.boss;
  }
}
