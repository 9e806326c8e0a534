import { EventEmitter } from 'node:events';
import {
  Logger,
  makeWorkerUtils,
  type Runner,
  run,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import { packageVersion } from '../harness/versions.js';
import { POSTGRES_URL } from '../services.js';
import {
  addConcurrently,
  addInBatches,
  type BenchPayload,
  DrainClock,
  FILL_BATCH,
  LatencyProbe,
} from './drive.js';
import { dropSchema, pgServerInfo, quoteIdent, schemaName } from './pg-namespace.js';
import type { BenchSystem, DrainResult, SystemFactory } from './system.js';
import { runAllSteps } from './teardown.js';

const TASK = 'bench';

/** graphile-worker in a fresh schema per run (migrated in setup, dropped after). */
export function graphileWorker(url = POSTGRES_URL): SystemFactory {
  return {
    id: 'graphile',
    label: `graphile-worker ${packageVersion('graphile-worker')}`,
    ours: false,
    notes:
      'graphile-worker: `run({ connectionString, schema, concurrency: c, maxPoolSize: ' +
      'max(10, c), taskList })` (its docs: the pool at least as large as the concurrency), ' +
      'LISTEN/NOTIFY wake-ups and default pollInterval; no batching options (0.16 has ' +
      'no local queue; completions are written one by one); `addJob` for single adds, its ' +
      'SQL `add_jobs(job_spec[])` for bulk; completions counted from `job:complete` (after ' +
      'the result is written back).',
    check: async () =>
      (await pgServerInfo(url)) === null ? `postgres at ${url} does not answer` : null,
    create: (runId) => new GraphileSystem(url, runId),
  };
}

class GraphileSystem implements BenchSystem {
  private utils: WorkerUtils | null = null;
  private readonly runners: Runner[] = [];
  private readonly schema: string;
  private readonly logErrors: string[] = [];
  private readonly logger: Logger;
  private tornDown = false;

  constructor(
    private readonly url: string,
    runId: string,
  ) {
    this.schema = schemaName('gw', runId);
    // Quiet: only errors are kept, and they fail the measurement.
    this.logger = new Logger(() => (level, message) => {
      if (level === 'error') this.logErrors.push(message);
    });
  }

  async setup(): Promise<void> {
    this.utils = await makeWorkerUtils({
      connectionString: this.url,
      schema: this.schema,
      logger: this.logger,
    });
    await this.utils.migrate();
  }

  addSingle(n: number, inFlight: number): Promise<number> {
    const utils = this.u();
    return addConcurrently(n, inFlight, (i) => utils.addJob(TASK, { i }));
  }

  addBulk(n: number, batch: number): Promise<number> {
    const utils = this.u();
    const s = quoteIdent(this.schema);
    const sql = `SELECT ${s}.add_jobs(array(SELECT json_populate_recordset(null::${s}.job_spec, $1::json)))`;
    return addInBatches(n, batch, (ps) =>
      utils.withPgClient((c) =>
        c.query(sql, [JSON.stringify(ps.map((payload) => ({ identifier: TASK, payload })))]),
      ),
    );
  }

  async drain(n: number, concurrency: number, waiting = n): Promise<DrainResult> {
    await this.addBulk(waiting, FILL_BATCH);
    const clock = new DrainClock(n);
    const events = new EventEmitter() as WorkerEvents;
    events.on('job:complete', ({ error }) => {
      if (error === undefined || error === null) clock.onCompleted();
      else clock.fail(error);
    });
    await this.start(concurrency, events, async () => clock.onStart());
    await clock.done;
    await this.stopRunners();
    this.assertNoErrors();
    return { ms: clock.ms, completed: clock.completed };
  }

  async latency(samples: number): Promise<number[]> {
    const utils = this.u();
    const probe = new LatencyProbe();
    await this.start(1, new EventEmitter() as WorkerEvents, async (payload) =>
      probe.started((payload as BenchPayload).i),
    );
    let result: number[];
    try {
      result = await probe.run(samples, (i) => utils.addJob(TASK, { i }));
    } catch (err) {
      // What graphile-worker logged explains a missed wake-up better than the timeout.
      this.assertNoErrors();
      throw err;
    }
    await this.stopRunners();
    this.assertNoErrors();
    return result;
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    await runAllSteps([
      () => this.stopRunners(),
      () => this.utils?.release(),
      () => dropSchema(this.url, this.schema),
    ]);
  }

  /** A measurement during which graphile-worker logged an error does not count. */
  private assertNoErrors(): void {
    if (this.logErrors.length > 0) {
      throw new Error(`graphile-worker logged errors: ${this.logErrors.slice(0, 3).join(' | ')}`);
    }
  }

  private async start(
    concurrency: number,
    events: WorkerEvents,
    task: (payload: unknown) => Promise<void>,
  ): Promise<void> {
    // A worker that dies stops the runner: the measurement must say so, not just time out.
    events.on('worker:fatalError', ({ error }) => this.logErrors.push(`fatal: ${String(error)}`));
    const runner = await run({
      connectionString: this.url,
      schema: this.schema,
      concurrency,
      maxPoolSize: Math.max(10, concurrency),
      noHandleSignals: true,
      logger: this.logger,
      events,
      taskList: { [TASK]: task },
    });
    this.runners.push(runner);
  }

  private async stopRunners(): Promise<void> {
    await runAllSteps(this.runners.splice(0).map((r) => () => r.stop()));
  }

  private u(): WorkerUtils {
    if (!this.utils) throw new Error('setup() was not called');
    return this.utils;
  }
}
