import type { JobCounts } from '@mq/core';

/** What one queue did during a run. */
export interface QueueReport {
  name: string;
  /** Jobs created by the producers. */
  added: number;
  /** Adds that created nothing (live dedup key or existing `jobId`). */
  deduplicated: number;
  /** Settlements seen through `QueueEvents`. */
  completed: number;
  failed: number;
  retried: number;
  /** Wait of an attempt from due (`runAt`) to start, in ms. */
  waitP50Ms: number;
  waitP99Ms: number;
  /** The queue's own counts at the end. */
  counts: JobCounts;
  /** Ids of the jobs added to fail with `UnrecoverableError`. */
  doomedIds: string[];
  /** Failed jobs whose error is an `UnrecoverableError`, from the queue's failed list. */
  failedUnrecoverable: number;
}

/** The outcome of `runDemo`. */
export interface DemoResult {
  /** Settled, no errors, not stopped early: exit code 0. */
  ok: boolean;
  /** Every added job ended completed or failed before the deadline. */
  settled: boolean;
  /** Stopped by its signal (Ctrl-C) before the end. */
  stopped: boolean;
  /** From start to the last job settled (or to the stop), in ms. */
  elapsedMs: number;
  queues: QueueReport[];
  /** Errors reported by queues, workers, producers or the view. */
  errors: string[];
}
