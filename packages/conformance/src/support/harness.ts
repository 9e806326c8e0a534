import {
  type Backend,
  type NewJob,
  type Processor,
  Queue,
  type QueueEvent,
  QueueEvents,
  type QueueOptions,
  type ReservedJob,
  Worker,
  type WorkerOptions,
} from '@mq/core';
import { afterEach } from 'vitest';
import type { SuiteEnv } from './env.js';
import { Gate } from './gate.js';
import { uniqueName } from './names.js';
import { addRaw, type ReserveOptions, reserve, reserveOne } from './raw-jobs.js';

/** The events a `QueueEvents` subscriber received, in delivery order. */
export class EventLog {
  readonly all: QueueEvent[] = [];

  /** Events of one job, in delivery order. */
  of(jobId: string): QueueEvent[] {
    return this.all.filter((e) => e.jobId === jobId);
  }

  /** Event types of one job, in delivery order. */
  types(jobId: string): string[] {
    return this.of(jobId).map((e) => e.type);
  }
}

/** Options of `Harness.queue`. */
export type HarnessQueueOptions = Partial<QueueOptions> & { name?: string };

/**
 * Creates the Queues, Workers and subscribers of one test with the suite's short timing,
 * and closes them all (and obliterates the test's queues) after the test.
 */
export class Harness {
  private queueNames = new Set<string>();
  private closers: (() => Promise<unknown>)[] = [];
  private workerErrors: unknown[] = [];
  private gates: Gate[] = [];

  constructor(
    readonly env: SuiteEnv,
    private readonly concern: string,
  ) {}

  /** The backend under test. */
  get backend(): Backend {
    return this.env.backend;
  }

  /** A unique queue name, obliterated after the test. */
  name(): string {
    const name = uniqueName(this.concern);
    this.queueNames.add(name);
    return name;
  }

  /** A Queue on a fresh name (or `opts.name`), on the backend under test by default. */
  queue<D = unknown>(opts: HarnessQueueOptions = {}): Queue<D> {
    const { name, ...rest } = opts;
    const q = new Queue<D>(name ?? this.name(), { backend: this.backend, ...rest });
    this.closers.push(() => q.close());
    return q;
  }

  /**
   * A running Worker with the suite's lease, a heartbeat of 4 ticks, stalled recovery off
   * (tests that need it turn it on) and an idle wait of 20 ticks. Errors it emits fail
   * the test after it ends.
   */
  worker<D = unknown, R = unknown>(
    queue: string,
    processor: Processor<D, R>,
    opts: Partial<WorkerOptions> = {},
  ): Worker<D, R> {
    const { tickMs, leaseMs } = this.env.timing;
    const w = new Worker<D, R>(queue, processor, {
      backend: this.backend,
      leaseMs,
      stalledIntervalMs: 0,
      heartbeatIntervalMs: Math.max(10, 4 * tickMs),
      idleWaitMs: 20 * tickMs,
      ...opts,
    });
    w.on('error', (err) => this.workerErrors.push(err));
    this.closers.push(() => w.close({ timeoutMs: 0 }));
    return w;
  }

  /** A started `QueueEvents` subscriber and the log it fills. */
  async events(queue: string, backend: Backend = this.backend): Promise<EventLog> {
    const log = new EventLog();
    const qe = new QueueEvents(queue, { backend });
    qe.on('event', (e) => log.all.push(e));
    this.closers.push(() => qe.close());
    await qe.start();
    return log;
  }

  /** A gate opened at the latest when the test ends, so blocked processors finish. */
  gate(): Gate {
    const g = new Gate();
    this.gates.push(g);
    return g;
  }

  /** Adds serialized jobs through the contract; see `rawJob` for the defaults. */
  addRaw(queue: string, jobs: Partial<NewJob>[]): Promise<string[]> {
    return addRaw(this.backend, queue, jobs);
  }

  /** Leases jobs through the contract (default max 1, lease 60 s). */
  reserve(queue: string, opts: ReserveOptions = {}): Promise<ReservedJob[]> {
    return reserve(this.backend, queue, opts);
  }

  /** Leases exactly one job through the contract. */
  reserveOne(queue: string, opts: Omit<ReserveOptions, 'max'> = {}): Promise<ReservedJob> {
    return reserveOne(this.backend, queue, opts);
  }

  /** Closes everything the test created and removes its queues from the backend. */
  async cleanup(): Promise<void> {
    for (const g of this.gates.splice(0)) g.open();
    const closers = this.closers.splice(0).reverse();
    for (const close of closers) await close();
    const names = [...this.queueNames];
    this.queueNames.clear();
    for (const name of names) {
      // Hygiene for durable stores shared by many runs; obliterate itself is tested in
      // `administration`, so a failure here must not mask the test's own outcome.
      await this.backend.admin.obliterate(name, true).catch(() => undefined);
    }
    const errors = this.workerErrors.splice(0);
    if (errors.length > 0) {
      throw new Error(
        `A worker emitted ${errors.length} error(s); the first: ${String(errors[0])}`,
        {
          cause: errors[0],
        },
      );
    }
  }
}

/**
 * Registers a harness for the tests of the current `describe`: fresh per test (tests of
 * one file run one after another), cleaned up after each.
 */
export function useHarness(env: SuiteEnv, concern: string): Harness {
  const h = new Harness(env, concern);
  afterEach(() => h.cleanup(), env.testTimeoutMs);
  return h;
}
