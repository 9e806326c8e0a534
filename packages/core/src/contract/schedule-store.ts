import type { NewJob } from './job-store.js';

/** When a schedule fires: a cron expression (with time zone) or a fixed interval. */
export interface RepeatSpec {
  /** Five- or six-field cron expression. */
  cron?: string;
  /** IANA time zone for `cron`; default UTC. */
  tz?: string;
  /** Fixed interval in ms. Exactly one of `cron` and `every` is set. */
  every?: number;
  /** ms epoch: no tick before it. */
  startDate?: number;
  /** ms epoch: no tick after it. */
  endDate?: number;
  /** Fire at most this many times. */
  limit?: number;
  /** Fire once as soon as the schedule is created, then follow the spec. */
  immediately?: boolean;
}

/** What each tick adds (serialized, like `NewJob` without `delay`). */
export type JobTemplate = Omit<NewJob, 'delay' | 'id'>;

/** A durable schedule as stored. */
export interface ScheduleRecord {
  /** Stable, user-chosen id: an upsert with the same id updates the definition. */
  id: string;
  queue: string;
  spec: RepeatSpec;
  template: JobTemplate;
  paused: boolean;
  /** The next planned tick (ms epoch), or null when the schedule is exhausted. */
  nextRunAt: number | null;
  /** The last planned tick that fired. */
  lastRunAt?: number;
  /** When that tick actually fired (drift = lastFiredAt - lastRunAt). */
  lastFiredAt?: number;
  /** Ticks fired so far. */
  runCount: number;
  /**
   * The largest drift (`firedAt - plannedAt`) of any tick handled (fired, or skipped as
   * missed) since `driftSince`; absent until a tick is handled.
   */
  maxDriftMs?: number;
  /**
   * Ticks handled since `driftSince` with a drift over the scheduler's missed-tick
   * tolerance (`lateAfterMs` of `fire`): fired late, or skipped as missed. 0 by default.
   */
  lateTicks?: number;
  /** When `maxDriftMs` and `lateTicks` were last reset (absent: never, count from creation). */
  driftSince?: number;
  createdAt: number;
  updatedAt: number;
}

/** The outcome of a tick attempt. */
export type FireResult =
  | { status: 'fired'; jobId: string }
  /** Another scheduler fired this tick already, or the schedule changed: nothing written. */
  | { status: 'stale' };

/** One tick attempt of `ScheduleStore.fire`. */
export interface FireTick {
  expectedRunAt: number;
  nextRunAt: number | null;
  firedAt: number;
  job: NewJob | null;
  /** A drift over this counts the tick in `lateTicks`. Default 1,000. */
  lateAfterMs?: number;
}

/** Durable schedules and the compare-and-set that makes a tick fire once. */
export interface ScheduleStore {
  /**
   * Creates or replaces the definition, atomically. Of an existing schedule it keeps
   * `runCount`, `lastRunAt`, `lastFiredAt`, `createdAt` and the drift figures
   * (`maxDriftMs`, `lateTicks`, `driftSince`); and its `nextRunAt` too when its spec is
   * the same as `record.spec` compared as data (`canonicalJson`) and its `runCount` is
   * above `record.runCount`: a writer that read the schedule (or found none) before
   * another process fired a tick must not plan that tick again.
   */
  upsert(record: ScheduleRecord): Promise<void>;
  remove(queue: string, id: string): Promise<boolean>;
  get(queue: string, id: string): Promise<ScheduleRecord | null>;
  list(queue: string): Promise<ScheduleRecord[]>;
  setPaused(queue: string, id: string, paused: boolean): Promise<boolean>;
  /**
   * If the schedule still expects the tick `expectedRunAt` (and is not paused): adds
   * `job`, sets `nextRunAt`, `lastRunAt = expectedRunAt`, `lastFiredAt = firedAt`,
   * `runCount + 1` — all or nothing. With `job: null` (a missed tick being skipped) it
   * only moves `nextRunAt`, under the same compare-and-set; the result's `jobId` is then
   * the empty string. Either way, when the tick applies, it raises `maxDriftMs` to
   * `firedAt - expectedRunAt` if larger, and counts it in `lateTicks` when that drift is
   * over `lateAfterMs` (default 1,000).
   */
  fire(queue: string, id: string, tick: FireTick): Promise<FireResult>;
  /**
   * Starts the drift figures over: `maxDriftMs` cleared, `lateTicks = 0`,
   * `driftSince = now`. False when there is no such schedule.
   */
  resetDrift(queue: string, id: string, now: number): Promise<boolean>;
}
