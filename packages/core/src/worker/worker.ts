import { hostname } from 'node:os';
import type { BackoffStrategy } from '../backoff.js';
import type { Backend, ReservedJob, ReserveRequest, Settlement } from '../contract/index.js';
import {
  CancelledError,
  ClosedError,
  LeaseLostError,
  TimeoutError,
  ValidationError,
} from '../errors.js';
import { assertBackend } from '../options/backend-check.js';
import { MAX_TIMER_MS } from '../options/limits.js';
import { QueueNameSchema } from '../options/queue-options.js';
import { type WorkerOptions, WorkerOptionsSchema } from '../options/worker-options.js';
import { TypedEmitter } from '../typed-emitter.js';
import { assertValid } from '../validate.js';
import { ActiveJob } from './active-job.js';
import { AttemptAbort } from './attempt-abort.js';
import { stalledEvents } from '../backend-kit/job-errors.js';
import { EventBatcher } from './event-batcher.js';
import { LocalLimiter } from './local-limiter.js';
import { settledBy, TurnClock, withDeadline } from './deadline.js';
import { everyOneAtATime } from './one-at-a-time.js';
import { outcomeEvent } from './outcome-events.js';
import { type AttemptOutcome, type Processor, runAttempt } from './run-attempt.js';
import { sleep } from './sleep.js';
import { defaultWorkerId } from './worker-id.js';

/** Local events of a Worker. */
export type WorkerEvents<D, R> = {
  active: (job: ActiveJob<D, R>) => void;
  completed: (job: ActiveJob<D, R>, result: R) => void;
  /** Failed for good (no attempts left, unrecoverable, cancelled, timed out on the last attempt). */
  failed: (job: ActiveJob<D, R>, err: Error) => void;
  retrying: (job: ActiveJob<D, R>, err: Error, runAt: number) => void;
  /** This worker lost the lease of a job (it expired and may run elsewhere). */
  lost: (jobId: string, err: Error) => void;
  /** Expired leases this worker recovered for the queue. */
  stalled: (jobIds: string[], failedIds: string[]) => void;
  /** Nothing to do: the queue had no reservable job. */
  drained: () => void;
  error: (err: unknown) => void;
  closed: () => void;
};

interface Held {
  token: string;
  job: ActiveJob<unknown, unknown>;
  abort: AttemptAbort | null;
  timer: NodeJS.Timeout | undefined;
}

const BACKEND_RETRY_MS = 1000;
/** Longest pause between claims while the backend keeps failing. */
const MAX_BACKEND_RETRY_MS = 30_000;
const SETTLE_RETRIES_ON_CLOSE = 5;
/** What `close()` allows beyond its timeout for handing leases back and unregistering. */
const CLOSE_GRACE_MS = 2000;
/** Longest run of work between two turns given to the event loop. */
const TURN_MS = 10;
/** Default of `JobStore.minSettleBatch`. */
const MIN_SETTLE_BATCH = 4;

/**
 * Runs jobs of one queue: reserves up to its free slots, runs the processor, settles in
 * batches, renews every lease on one timer, and waits for a wake-up when idle.
 *
 * Delivery is at least once: a crash, a lost lease or a close timeout can run a job
 * again, so processors should be idempotent.
 */
export class Worker<D = unknown, R = unknown> extends TypedEmitter<WorkerEvents<D, R>> {
  readonly id: string;
  readonly queue: string;
  readonly backend: Backend;
  readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly opts: WorkerOptions;
  private readonly limiter: LocalLimiter;
  private readonly strategies: Readonly<Record<string, BackoffStrategy>>;
  private readonly events: EventBatcher | null;
  private readonly held = new Map<string, Held>();
  private reservedSlots = 0;
  private pending: {
    outcome: AttemptOutcome & { settlement: Settlement };
    job: ActiveJob<D, R>;
  }[] = [];
  /** Settle calls in flight, at most `maxFlights`, of at most `flightSize` outcomes. */
  private flights = 0;
  private readonly maxFlights: number;
  private readonly flightSize: number;
  private flushQueued = false;
  /** Jobs in the settle calls in flight (still in `held` until their call returns). */
  private settling = 0;
  /**
   * Slots the settle calls in flight hold: each its jobs until it returns, then the jobs
   * its claim brings, so max(batch, claim) per call. Another call's jobs are not free.
   */
  private flightSlots = 0;
  /** The part of `reservedSlots` that is settle calls' claims (the rest is the loop's). */
  private flightClaims = 0;
  private settleFailures = 0;
  private loopDone: Promise<void> | null = null;
  private readonly loopAbort = new AbortController();
  private slotWaiter: (() => void) | null = null;
  private waitingForSlot = false;
  private closing: Promise<void> | null = null;
  private timers: NodeJS.Timeout[] = [];
  /** Consecutive failed claims: the pause before the next one doubles with each. */
  private claimFailures = 0;
  /** Set when `close()` stopped waiting: failed settles are given up, not retried. */
  private abandoned = false;
  private readonly callTimeoutMs: number;
  private readonly turns = new TurnClock(TURN_MS);
  private readonly startedAt = Date.now();
  /** The data of every `active` event this worker publishes: one frozen object for all. */
  private readonly activeEventData: Readonly<{ workerId: string }>;

  constructor(
    queue: string,
    private readonly processor: Processor<D, R>,
    options: WorkerOptions,
  ) {
    super();
    assertValid(QueueNameSchema, queue, 'queue name', '/queue');
    assertBackend(options, 'worker options');
    if (typeof processor !== 'function')
      throw new ValidationError('worker', [{ path: '/processor', rule: 'must be a function' }]);
    const { backend, backoffStrategies, schemas, onStart, onStop, ...plain } = options;
    assertValid(WorkerOptionsSchema, plain, 'worker options');
    this.queue = queue;
    this.backend = backend;
    this.opts = options;
    this.id = options.id ?? defaultWorkerId();
    this.activeEventData = Object.freeze({ workerId: this.id });
    this.concurrency = options.concurrency ?? 1;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 10_000;
    this.limiter = new LocalLimiter(options.limiter);
    const half = Math.ceil(this.concurrency / 2);
    const split = half >= (backend.jobs.minSettleBatch ?? MIN_SETTLE_BATCH);
    this.maxFlights = split ? 2 : 1;
    this.flightSize = split ? half : this.concurrency;
    this.strategies = backoffStrategies ?? {};
    this.events =
      options.events === false
        ? null
        : new EventBatcher(backend, queue, (err) => this.emit('error', err));
    if (options.autorun ?? true) void this.run();
  }

  /** Starts consuming (once). Resolves when the worker has closed. */
  run(): Promise<void> {
    if (!this.loopDone) this.loopDone = this.start();
    return this.loopDone;
  }

  /** True until `close()` is called. */
  get isRunning(): boolean {
    return this.loopDone !== null && this.closing === null;
  }

  /** Jobs this worker holds right now (running or being settled). */
  get activeCount(): number {
    return this.held.size;
  }

  /**
   * Stops claiming, waits up to `timeoutMs` (default `closeTimeoutMs`, 30 s) for running
   * jobs, then aborts the rest with a `ClosedError` and hands their leases back (they
   * return to waiting without counting an attempt). Idempotent.
   */
  close(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.closing)
      this.closing = this.shutdown(opts.timeoutMs ?? this.opts.closeTimeoutMs ?? 30_000);
    return this.closing;
  }

  private async start(): Promise<void> {
    try {
      // A backend down at start is waited for (with backoff), not given up on.
      for (let failures = 1; ; failures++) {
        if (this.loopAbort.signal.aborted) return;
        try {
          await this.call(this.backend.ready(), 'ready');
          break;
        } catch (err) {
          this.emit('error', err);
          await sleep(this.retryDelay(failures), this.loopAbort.signal);
        }
      }
      await this.opts.onStart?.();
      this.startTimers();
      await this.loop();
    } catch (err) {
      this.emit('error', err);
    }
  }

  /** `work` under the worker's call deadline (see `callTimeoutMs`). */
  private call<T>(work: Promise<T>, operation: string, onLate?: (value: T) => void): Promise<T> {
    return withDeadline(work, this.callTimeoutMs, this.backend.name, operation, onLate);
  }

  /** The pause after the `failures`-th consecutive failure: 1 s, doubling, at most 30 s. */
  private retryDelay(failures: number): number {
    return Math.min(BACKEND_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_BACKEND_RETRY_MS);
  }

  private startTimers(): void {
    const onError = (err: unknown) => this.emit('error', err);
    const every = (ms: number, operation: string, fn: () => Promise<unknown>) => {
      if (ms > 0)
        this.timers.push(everyOneAtATime(ms, fn, (w) => this.call(w, operation), onError));
    };
    every(Math.max(10, Math.floor(this.leaseMs / 2)), 'extend', () => this.extendLeases());
    every(this.opts.stalledIntervalMs ?? 30_000, 'recoverExpired', () => this.recoverStalled());
    const beat = this.opts.heartbeatIntervalMs ?? 10_000;
    const heartbeat = () =>
      this.backend.workers.heartbeat(
        {
          id: this.id,
          kind: 'worker',
          queue: this.queue,
          host: hostname(),
          pid: process.pid,
          concurrency: this.concurrency,
          startedAt: this.startedAt,
        },
        beat * 3,
      );
    this.call(heartbeat(), 'heartbeat').catch(onError);
    every(beat, 'heartbeat', heartbeat);
  }

  private async loop(): Promise<void> {
    const signal = this.loopAbort.signal;
    while (!signal.aborted) {
      const turn = this.turns.pass();
      if (turn) await turn;
      const free = this.concurrency - this.held.size - this.reservedSlots;
      if (free <= 0) {
        await this.waitForSlot();
        continue;
      }
      // reservedSlots: budget of claims in flight (a settle's next claim), not yet started.
      const { allowed, waitMs } = this.limiter.budget(free, this.reservedSlots);
      if (allowed <= 0) {
        await sleep(waitMs, signal);
        continue;
      }
      // The slots are taken before the claim: never more leases than slots.
      this.reservedSlots += allowed;
      let jobs: ReservedJob[];
      let limitedForMs: number | undefined;
      try {
        ({ jobs, limitedForMs } = await this.call(
          this.backend.jobs.reserve(this.queue, this.reserveRequest(allowed)),
          'reserve',
          (late) => this.handBack(late.jobs),
        ));
        this.claimFailures = 0;
      } catch (err) {
        this.reservedSlots -= allowed;
        this.emit('error', err);
        await sleep(this.retryDelay(++this.claimFailures), signal);
        continue;
      }
      this.reservedSlots -= allowed;
      if (jobs.length > 0) {
        this.startJobs(jobs);
      } else if (limitedForMs !== undefined) {
        await sleep(limitedForMs, signal);
      } else {
        this.emit('drained');
        const maxWaitMs = this.opts.idleWaitMs ?? 5000;
        await withDeadline(
          this.backend.jobs.waitForWork(this.queue, { signal, maxWaitMs }),
          maxWaitMs + this.callTimeoutMs,
          this.backend.name,
          'waitForWork',
        ).catch(async (err: unknown) => {
          this.emit('error', err);
          await sleep(this.retryDelay(++this.claimFailures), signal);
        });
      }
    }
  }

  /** Releases jobs a claim returned after its deadline: they were never started. */
  private handBack(jobs: ReservedJob[]): void {
    if (jobs.length === 0) return;
    const released = jobs.map(
      (r): Settlement => ({ jobId: r.job.id, token: r.token, kind: 'released' }),
    );
    this.backend.jobs.settle(this.queue, released).catch((err) => this.emit('error', err));
  }

  private reserveRequest(max: number): ReserveRequest {
    return { workerId: this.id, max, leaseMs: this.leaseMs };
  }

  private waitForSlot(): Promise<void> {
    this.waitingForSlot = true;
    return new Promise((resolve) => {
      this.slotWaiter = () => {
        this.waitingForSlot = false;
        this.slotWaiter = null;
        resolve();
      };
    });
  }

  private wakeSlot(): void {
    this.slotWaiter?.();
  }

  private startJobs(jobs: ReservedJob[]): void {
    this.limiter.consume(jobs.length);
    if (this.loopAbort.signal.aborted) {
      // Reserved while closing: hand back at once, never started.
      for (const r of jobs) {
        const job = new ActiveJob<D, R>(r.job, r.token, this.backend, this.events);
        this.held.set(r.job.id, { token: r.token, job, abort: null, timer: undefined });
        this.enqueueSettle(job, {
          settlement: { jobId: r.job.id, token: r.token, kind: 'released' },
        });
      }
      return;
    }
    for (const r of jobs) this.startJob(r);
  }

  private startJob(r: ReservedJob): void {
    const job = new ActiveJob<D, R>(r.job, r.token, this.backend, this.events);
    const abort = new AttemptAbort();
    const timeout = job.opts.timeout;
    const timer =
      timeout === undefined
        ? undefined
        : // Clamped: a job stored by an older producer may carry a longer timeout.
          setTimeout(() => abort.abort(new TimeoutError(timeout)), Math.min(timeout, MAX_TIMER_MS));
    const entry: Held = { token: r.token, job, abort, timer };
    this.held.set(job.id, entry);
    this.events?.push({
      type: 'active',
      jobId: job.id,
      at: Date.now(),
      data: this.activeEventData,
    });
    this.emit('active', job);
    void runAttempt(job, abort, this.processor, {
      schemas: this.opts.schemas,
      strategies: this.strategies,
    }).then((outcome) => this.attemptDone(entry, job, outcome));
  }

  private attemptDone(entry: Held, job: ActiveJob<D, R>, outcome: AttemptOutcome): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.abort = null;
    if (outcome.settlement === null) {
      this.held.delete(job.id);
      this.emit('lost', job.id, outcome.error);
      this.wakeSlot();
      return;
    }
    this.enqueueSettle(job, outcome as AttemptOutcome & { settlement: Settlement });
  }

  private enqueueSettle(
    job: ActiveJob<D, R>,
    outcome: AttemptOutcome & { settlement: Settlement },
  ): void {
    this.pending.push({ outcome, job });
    this.scheduleFlush();
  }

  /**
   * Starts a settle flight when one may go: at most `maxFlights` in flight and at
   * most one started per event-loop turn. The first of a turn waits one microtask so
   * jobs finishing together share it; a second waits for the next turn (setImmediate),
   * so that it leaves in its own write, after the backend has begun the first — two
   * flights sent together would be read, run and answered together, and the worker
   * and the backend would again take turns instead of working at the same time.
   */
  private scheduleFlush(): void {
    if (this.flushQueued || this.flights >= this.maxFlights || this.pending.length === 0) return;
    this.flushQueued = true;
    const go = () => {
      this.flushQueued = false;
      if (this.flights < this.maxFlights && this.pending.length > 0) void this.flush();
    };
    if (this.flights === 0) queueMicrotask(go);
    else setImmediate(go);
  }

  /**
   * Settles up to `flightSize` pending outcomes in one call, with the next claim when
   * the worker is full (see `JobStore.minSettleBatch` for when there are two flights).
   * A flight that fails goes back to the front of the queue and is retried after a pause.
   */
  private async flush(): Promise<void> {
    const size = this.flightSize;
    const batch = this.pending.length <= size ? this.pending : this.pending.slice(0, size);
    this.pending = batch === this.pending ? [] : this.pending.slice(size);
    this.flights++;
    this.settling += batch.length;
    const nextMax = this.nextReserveSize();
    this.reservedSlots += nextMax;
    this.flightClaims += nextMax;
    const slots = Math.max(batch.length, nextMax);
    this.flightSlots += slots;
    this.scheduleFlush();
    let res: Awaited<ReturnType<Backend['jobs']['settle']>> | null = null;
    try {
      const turn = this.turns.pass();
      if (turn) await turn;
      res = await this.call(
        this.backend.jobs.settle(
          this.queue,
          batch.map((b) => b.outcome.settlement),
          nextMax > 0 ? this.reserveRequest(nextMax) : undefined,
        ),
        'settle',
        (late) => {
          if (late.next) this.handBack(late.next.jobs);
        },
      );
      this.settleFailures = 0;
    } catch (err) {
      this.emit('error', err);
      this.settleFailures++;
    }
    this.reservedSlots -= nextMax;
    this.flightClaims -= nextMax;
    this.flightSlots -= slots;
    this.settling -= batch.length;
    if (res) {
      batch.forEach((b, i) => {
        this.held.delete(b.job.id);
        this.report(b.job, b.outcome, res.results[i] === 'ok');
      });
      if (res.next && res.next.jobs.length > 0) this.startJobs(res.next.jobs);
    } else if (this.abandoned || (this.closing && this.settleFailures >= SETTLE_RETRIES_ON_CLOSE)) {
      // Give up: the leases expire and stalled recovery re-runs these jobs.
      for (const b of batch) this.held.delete(b.job.id);
    } else {
      this.pending = batch.concat(this.pending);
      await sleep(BACKEND_RETRY_MS);
    }
    this.flights--;
    this.wakeSlot();
    this.scheduleFlush();
  }

  // Reserve in the settle round trip only when the loop is blocked on a full worker:
  // that is the busy steady state where it saves a round trip per batch. The jobs of
  // this flight hand their slots over to its claim; those of the other flights stay
  // theirs (`flightSlots`) until those calls return: never more leases than slots.
  private nextReserveSize(): number {
    if (!this.waitingForSlot || this.loopAbort.signal.aborted) return 0;
    const loopReserved = this.reservedSlots - this.flightClaims;
    const free =
      this.concurrency - (this.held.size - this.settling) - this.flightSlots - loopReserved;
    return free > 0 ? this.limiter.budget(free, this.reservedSlots).allowed : 0;
  }

  private report(
    job: ActiveJob<D, R>,
    outcome: AttemptOutcome & { settlement: Settlement },
    ok: boolean,
  ): void {
    const s = outcome.settlement;
    if (!ok) {
      this.emit('lost', job.id, new LeaseLostError(job.id));
      return;
    }
    const event = outcomeEvent(job.id, s, Date.now());
    if (event) this.events?.push(event);
    if (s.kind === 'completed') this.emit('completed', job, (outcome as { result: R }).result);
    else if (s.kind === 'retry')
      this.emit('retrying', job, (outcome as { error: Error }).error, s.runAt);
    else if (s.kind === 'failed') this.emit('failed', job, (outcome as { error: Error }).error);
  }

  private async extendLeases(): Promise<void> {
    if (this.held.size === 0) return;
    const entries = [...this.held.entries()];
    const results = await this.backend.jobs.extend(
      this.queue,
      entries.map(([jobId, h]) => ({ jobId, token: h.token })),
      this.leaseMs,
    );
    results.forEach((r, i) => {
      const [jobId, h] = entries[i]!;
      if (r === 'lost') h.abort?.abort(new LeaseLostError(jobId));
      else if (r === 'cancelled') h.abort?.abort(new CancelledError());
    });
  }

  private async recoverStalled(): Promise<void> {
    const r = await this.backend.jobs.recoverExpired(this.queue, {
      maxStalls: this.opts.maxStalls ?? 1,
      limit: 1000,
    });
    if (r.recovered.length === 0 && r.failed.length === 0) return;
    this.events?.pushAll(stalledEvents(r.recovered, r.failed, Date.now()));
    this.emit('stalled', r.recovered, r.failed);
  }

  /**
   * Running jobs get until `timeoutMs`; handing leases back, the last events and the
   * unregistration get `CLOSE_GRACE_MS` more. Past that, close stops waiting for the
   * backend: leases it could not hand back expire and stalled recovery re-runs them.
   */
  private async shutdown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const graceEnd = deadline + CLOSE_GRACE_MS;
    this.loopAbort.abort();
    this.wakeSlot();
    await settledBy(this.loopDone, deadline);
    while (this.held.size > 0 && Date.now() < deadline)
      await sleep(Math.min(20, deadline - Date.now()));
    for (const h of this.held.values()) h.abort?.abort(new ClosedError(`Worker ${this.id}`));
    // Every held job leaves `held` when its settle call returns (or is given up on).
    while ((this.held.size > 0 || this.flights > 0) && Date.now() < graceEnd) await sleep(5);
    this.abandoned = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await settledBy(this.events?.flush(), graceEnd);
    const unregister = this.backend.workers.unregister(this.id);
    await settledBy(
      unregister.catch((err) => this.emit('error', err)),
      graceEnd,
    );
    try {
      await this.opts.onStop?.();
    } catch (err) {
      this.emit('error', err);
    }
    this.emit('closed');
  }
}
