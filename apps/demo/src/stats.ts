/** Window of the live throughput figure. */
const THROUGHPUT_WINDOW_MS = 1000;

/**
 * What the demo observed on one queue: add results (from the producers), settlements
 * (from `QueueEvents`, as a dashboard in another process would see them) and wait times
 * (from the workers' `active` events).
 */
export class QueueStats {
  /** Jobs created by `add` (`added` results). */
  added = 0;
  /** Adds that created nothing: a live dedup key (`deduplicated`) or an existing `jobId` (`duplicate`). */
  dedupHits = 0;
  /** `completed` events seen. */
  completed = 0;
  /** `failed` events seen (failed for good). */
  failed = 0;
  /** `retrying` events seen (an attempt failed and another is scheduled). */
  retried = 0;
  /** Ids of the jobs the producers added to fail with `UnrecoverableError`. */
  readonly doomedIds = new Set<string>();
  private readonly waits: number[] = [];
  // Finish times in arrival order; pruned to the window on read.
  private finishes: number[] = [];

  constructor(readonly queue: string) {}

  /** Records one job settled for good (completed or failed) at `at` (ms epoch). */
  finished(at: number): void {
    this.finishes.push(at);
  }

  /** Records how long an attempt waited between becoming due and starting, in ms. */
  waited(ms: number): void {
    this.waits.push(Math.max(0, ms));
  }

  /** Jobs settled for good during the last second before `now`. */
  throughput(now: number): number {
    const from = now - THROUGHPUT_WINDOW_MS;
    let i = 0;
    while (i < this.finishes.length && (this.finishes[i] as number) <= from) i++;
    if (i > 0) this.finishes = this.finishes.slice(i);
    return (this.finishes.length * 1000) / THROUGHPUT_WINDOW_MS;
  }

  /** The `p`-th percentile (0..100, nearest rank) of wait times in ms; 0 with no samples. */
  waitPercentile(p: number): number {
    if (this.waits.length === 0) return 0;
    const sorted = [...this.waits].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
  }
}
