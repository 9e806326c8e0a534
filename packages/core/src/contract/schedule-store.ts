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
  createdAt: number;
  updatedAt: number;
}

/** The outcome of a tick attempt. */
export type FireResult =
  | { status: 'fired'; jobId: string }
  /** Another scheduler fired this tick already, or the schedule changed: nothing written. */
  | { status: 'stale' };

/** Durable schedules and the compare-and-set that makes a tick fire once. */
export interface ScheduleStore {
  /**
   * Creates or replaces the definition; keeps `runCount`, `lastRunAt`, `lastFiredAt`
   * and `createdAt` of an existing schedule.
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
   * the empty string.
   */
  fire(
    queue: string,
    id: string,
    tick: { expectedRunAt: number; nextRunAt: number | null; firedAt: number; job: NewJob | null },
  ): Promise<FireResult>;
}
