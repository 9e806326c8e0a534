import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  assertValid,
  Queue,
  type RepeatSpec,
  type RepeatTemplate,
  sleep,
  TypedEmitter,
  ValidationError,
} from '@mq/core';
import { fireDue } from './fire-due.js';
import { recoverStalled, sweepRetention } from './maintenance.js';
import { type SchedulerOptions, SchedulerOptionsSchema } from './options.js';

/** Events of a Scheduler. */
export type SchedulerEvents = {
  /** Ticks this scheduler fired (other schedulers may have fired others). */
  fired: (queue: string, count: number) => void;
  /** Missed ticks skipped after downtime. */
  skipped: (queue: string, count: number) => void;
  stalled: (queue: string, recovered: number, failed: number) => void;
  retention: (queue: string, removed: number) => void;
  error: (err: unknown) => void;
};

interface CodeOwned {
  queue: string;
  id: string;
  spec: RepeatSpec;
  template: RepeatTemplate;
}

/**
 * Earlier versions swept finished jobs by ages of the sweep's own, deleting jobs their
 * policy kept: say so plainly instead of a bare "unexpected property".
 */
function refuseSweepAges(retention: unknown): void {
  if (retention === null || typeof retention !== 'object') return;
  const issues = ['completedAgeMs', 'failedAgeMs']
    .filter((k) => k in retention)
    .map((k) => ({
      path: `/retention/${k}`,
      rule: `no longer supported: the sweep applies each job's own ${k === 'completedAgeMs' ? 'removeOnComplete' : 'removeOnFail'}; set the age per job or in the queue's defaultJobOptions`,
    }));
  if (issues.length > 0) throw new ValidationError('scheduler options', issues);
}

/**
 * The process production runs beside its workers (one or several, for availability):
 * fires durable schedules once per tick, recovers stalled jobs and sweeps retention.
 * Several schedulers may run at once: every tick is a compare-and-set in the backend,
 * so it fires once across processes on backends with `distributedSchedules` (and
 * within one process on the others).
 */
export class Scheduler extends TypedEmitter<SchedulerEvents> {
  readonly id: string;
  private readonly opts: SchedulerOptions;
  private readonly codeOwned: CodeOwned[] = [];
  private readonly stop = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private starting: Promise<void> | null = null;
  private readonly startedAt = Date.now();

  constructor(options: SchedulerOptions) {
    super();
    const { backend, ...settings } = options;
    refuseSweepAges(settings.retention);
    assertValid(SchedulerOptionsSchema, settings, 'scheduler options');
    this.opts = options;
    this.id =
      options.id ?? `scheduler:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    if (options.autorun ?? true)
      setImmediate(() => {
        if (!this.stop.signal.aborted) this.start().catch((err) => this.emit('error', err));
      });
  }

  /**
   * Registers a code-owned schedule: the code is its source of truth, so it is written
   * to the backend at `start()` by every process that registers it (an unchanged spec
   * keeps its planned tick, so registering it in N processes never fires a tick twice).
   * Removing it from code does not delete it: call `Queue.removeRepeatable`. Registered
   * after the start, it is written at once (a failure reaches `error`).
   */
  addRepeatable(queue: string, id: string, spec: RepeatSpec, template: RepeatTemplate): this {
    const c = { queue, id, spec, template };
    this.codeOwned.push(c);
    if (this.running) this.store(c).catch((err) => this.emit('error', err));
    return this;
  }

  /**
   * Starts the loops (once; see `autorun`); resolves once the backend is ready and
   * code-owned schedules are stored.
   */
  start(): Promise<void> {
    this.starting ??= (async () => {
      await this.opts.backend.ready();
      for (const c of this.codeOwned) await this.store(c);
      if (this.stop.signal.aborted) return;
      this.startMaintenance();
      this.running = this.fireLoop();
    })();
    return this.starting;
  }

  private store(c: CodeOwned): Promise<unknown> {
    const queue = new Queue(c.queue, { backend: this.opts.backend, events: false });
    return queue.upsertRepeatable(c.id, c.spec, c.template);
  }

  /** A one-line description for logs: backend, queues and intervals. */
  describe(): string {
    const o = this.opts;
    const stalled = o.stalled === false ? 'off' : `${o.stalled?.intervalMs ?? 5000}ms`;
    const retention = o.retention === false ? 'off' : `${o.retention?.intervalMs ?? 60_000}ms`;
    return `mq-scheduler ${this.id} on ${o.backend.name}: queues [${o.queues.join(', ')}], scan ${o.scanIntervalMs ?? 1000}ms, missed ticks ${o.missedTicks ?? 'skip'} (tolerance ${o.missedTickToleranceMs ?? 1000}ms), stalled recovery ${stalled}, retention ${retention}, heartbeat ${o.heartbeatIntervalMs ?? 10_000}ms`;
  }

  /** Stops the loops and removes the heartbeat. Does not close the backend. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.starting?.catch(() => undefined);
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running;
    await this.opts.backend.workers.unregister(this.id).catch((err) => this.emit('error', err));
  }

  private startMaintenance(): void {
    const { backend, queues } = this.opts;
    const every = (ms: number, fn: () => Promise<void>) => {
      const run = () => fn().catch((err) => this.emit('error', err));
      void run();
      this.timers.push(setInterval(run, ms));
    };
    const beat = this.opts.heartbeatIntervalMs ?? 10_000;
    every(beat, () =>
      backend.workers.heartbeat(
        {
          id: this.id,
          kind: 'scheduler',
          queue: queues.join(','),
          host: hostname(),
          pid: process.pid,
          concurrency: 0,
          startedAt: this.startedAt,
        },
        beat * 3,
      ),
    );
    const stalled = this.opts.stalled;
    if (stalled !== false) {
      every(stalled?.intervalMs ?? 5000, async () => {
        for (const q of queues) {
          const r = await recoverStalled(backend, q, stalled?.maxStalls ?? 1);
          if (r.recovered + r.failed > 0) this.emit('stalled', q, r.recovered, r.failed);
        }
      });
    }
    const ret = this.opts.retention;
    if (ret !== false) {
      every(ret?.intervalMs ?? 60_000, async () => {
        for (const q of queues) {
          const removed = await sweepRetention(backend, q, ret?.batch ?? 1000);
          if (removed > 0) this.emit('retention', q, removed);
        }
      });
    }
  }

  private async fireLoop(): Promise<void> {
    const { backend, queues } = this.opts;
    const scan = this.opts.scanIntervalMs ?? 1000;
    while (!this.stop.signal.aborted) {
      let wait = scan;
      try {
        for (const q of queues) {
          const pass = await fireDue(backend, q, {
            missedTicks: this.opts.missedTicks ?? 'skip',
            toleranceMs: this.opts.missedTickToleranceMs ?? 1000,
          });
          if (pass.fired > 0) this.emit('fired', q, pass.fired);
          if (pass.skipped > 0) this.emit('skipped', q, pass.skipped);
          if (pass.nextDue !== null) wait = Math.min(wait, Math.max(0, pass.nextDue - Date.now()));
        }
      } catch (err) {
        this.emit('error', err);
      }
      await sleep(wait, this.stop.signal);
    }
  }
}
