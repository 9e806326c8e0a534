import type { Pool, PoolClient } from 'pg';
import type { SchemaNames } from './sql/ident.js';
import { quoteLiteral } from './sql/ident.js';

/** When the backend vacuums `jobs` itself (see {@link Vacuumer}). */
export interface VacuumPolicy {
  /** Jobs this process settles between two vacuums, at least 2% of the table's rows. */
  afterJobs: number;
  /** Least time between two vacuums of the table by any process, in ms. */
  minIntervalMs: number;
}

/** What the housekeeping vacuum of one backend did so far (`backend.vacuum`). */
export interface VacuumStatus {
  /** `on`; `off` (option `vacuum: false`); `not-owner` (this role may not vacuum `jobs`). */
  readonly state: 'on' | 'off' | 'not-owner';
  /** Vacuums this backend ran. */
  readonly runs: number;
  /** When the last one ended (ms epoch); undefined before the first. */
  readonly lastAt: number | undefined;
  /** How long the last one took, in ms. */
  readonly lastMs: number | undefined;
  /** The last failure (a later threshold tries again); undefined after a success. */
  readonly lastError: Error | undefined;
}

/** The status of a backend whose housekeeping vacuum is turned off. */
export const VACUUM_OFF: VacuumStatus = Object.freeze({
  state: 'off',
  runs: 0,
  lastAt: undefined,
  lastMs: undefined,
  lastError: undefined,
});

/** The share of the table's rows that must be settled before a vacuum (see Vacuumer). */
const TABLE_SHARE = 0.02;

/** SQLSTATE of the warning of a VACUUM (SKIP_LOCKED) that skipped a locked table. */
const LOCK_NOT_AVAILABLE = '55P03';

/** After a vacuum that took d ms, this process starts none for DUTY_CYCLE × d ms. */
const DUTY_CYCLE = 20;

/**
 * Keeps the claim and retention scans short under sustained load. A job's state is in
 * the predicate of every partial index, so no transition is a HOT update: each claim
 * leaves a dead entry at the head of the waiting index, each retention delete one at the
 * head of the finished index, and both scans start at that head. Only VACUUM removes
 * them, and autovacuum looks at a table once a minute (`autovacuum_naptime`): at 10,000
 * jobs/s a claim would cross 600,000 dead entries by then (measured with the bench's
 * settle-loop probe: 10 jobs per call fall from 7,459 to 5,782 jobs/s over 60,000 jobs
 * without this, and stay between 7,428 and 8,254 with it).
 *
 * So every `afterJobs` settled jobs (at least 2% of the table's rows, since a vacuum
 * scans every index whole: 10 ms at 20,000 rows, 100 ms at 1,000,000) the backend runs
 * `VACUUM (INDEX_CLEANUP ON, SKIP_LOCKED)` on one pooled connection, in the background,
 * and after a vacuum that took d ms it starts none for 20 × d ms (at most 5% of the
 * time: the first vacuum after a bulk load reads the whole heap). The row count comes
 * from `counts`, exact even before autovacuum or ANALYZE ever looked at the table.
 * Processes coordinate through the table's last-vacuum time and VACUUM's own lock
 * (`SKIP_LOCKED`), so the table is vacuumed at most once per `minIntervalMs` and never
 * twice at once — with no session state, so it also works through a transaction-mode
 * connection pooler. VACUUM needs the table's owner: for any other role this turns
 * itself off at the first try.
 */
export class Vacuumer implements VacuumStatus {
  state: 'on' | 'not-owner' = 'on';
  runs = 0;
  lastAt: number | undefined;
  lastMs: number | undefined;
  lastError: Error | undefined;
  private settled = 0;
  private threshold: number;
  private running: Promise<void> | undefined;
  private stopped = false;
  private notBefore = 0;
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly names: SchemaNames,
    private readonly policy: VacuumPolicy,
  ) {
    this.threshold = policy.afterJobs;
    this.table = quoteLiteral(names.jobs);
  }

  /** Counts `jobs` settled jobs; starts a vacuum in the background when due. */
  settledJobs(jobs: number): void {
    this.settled += jobs;
    if (this.settled < this.threshold || this.running !== undefined) return;
    if (this.stopped || this.state !== 'on') return;
    if (Date.now() < this.notBefore) return;
    const settled = this.settled;
    this.settled = 0;
    this.running = this.run(settled)
      .catch((err: unknown) => {
        // Housekeeping only: autovacuum still runs, and the next threshold tries again.
        this.lastError = err instanceof Error ? err : new Error(String(err));
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Starts no more vacuums and waits for a running one (before the pool is ended). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async run(settled: number): Promise<void> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      const info = await this.look(client);
      if (info === undefined || !info.owner) {
        this.state = 'not-owner';
        return;
      }
      this.threshold = Math.max(this.policy.afterJobs, Math.ceil(info.rows * TABLE_SHARE));
      if (settled < this.threshold) {
        // The table is bigger than the last look said: keep counting towards its share.
        this.settled += settled;
        return;
      }
      if (info.recent) return;
      const started = Date.now();
      if (!(await this.vacuum(client))) return;
      this.lastAt = Date.now();
      this.lastMs = this.lastAt - started;
      this.runs++;
      this.lastError = undefined;
      this.notBefore = this.lastAt + this.lastMs * DUTY_CYCLE;
    } catch (err) {
      failure = err as Error;
      throw err;
    } finally {
      // A failed connection is discarded, not handed to the next query.
      client.release(failure);
    }
  }

  /**
   * Vacuums `jobs`; false when it skipped. SKIP_LOCKED: a vacuum already running (another
   * process's, or autovacuum's) holds the table's vacuum lock, and this one then skips
   * at once with a `lock_not_available` warning instead of queueing.
   */
  private async vacuum(client: PoolClient): Promise<boolean> {
    let skipped = false;
    const onNotice = (notice: { code?: string }) => {
      if (notice.code === LOCK_NOT_AVAILABLE) skipped = true;
    };
    client.on('notice', onNotice);
    try {
      await client.query(`VACUUM (INDEX_CLEANUP ON, SKIP_LOCKED) ${this.names.jobs}`);
    } finally {
      client.off('notice', onNotice);
    }
    return !skipped;
  }

  /** Ownership, row count (from `counts`), whether any vacuum ran lately. */
  private async look(client: PoolClient): Promise<TableLook | undefined> {
    const { rows } = await client.query<TableLook>(
      `SELECT pg_has_role(c.relowner, 'USAGE') AS owner,
         (SELECT coalesce(sum(n.n), 0)::float8 FROM ${this.names.counts} n) AS rows,
         coalesce(greatest(pg_stat_get_last_vacuum_time(c.oid),
           pg_stat_get_last_autovacuum_time(c.oid)) > clock_timestamp() - $1 * interval '1 ms',
           false) AS recent
       FROM pg_class c WHERE c.oid = ${this.table}::regclass`,
      [this.policy.minIntervalMs],
    );
    return rows[0];
  }
}

interface TableLook {
  owner: boolean;
  rows: number;
  recent: boolean;
}
