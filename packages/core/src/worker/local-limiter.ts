/** How long to wait when only claims still in flight hold the budget, in ms (at most `duration`). */
const IN_FLIGHT_POLL_MS = 25;

/**
 * This worker's own rate limit: at most `max` jobs start in any `duration` ms (a
 * sliding window: each start counts for `duration` ms from the moment it happened).
 * The queue-global limit lives in the backend.
 *
 * A fixed window that opened at the first *query* let a burst through: a worker idle
 * for 600 ms of a 1000 ms window started `max` jobs when work came, and `max` more 400
 * ms later. Counting from each start, the window holds from the first job. Claims still
 * in flight (budget granted, jobs not back yet) count too, so two claims in flight
 * together cannot each take the whole budget.
 */
export class LocalLimiter {
  // Starts still inside the window, oldest first: [time, count] per claim that started jobs.
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private head = 0;
  private used = 0;

  constructor(private readonly limit: { max: number; duration: number } | undefined) {}

  /**
   * How many jobs may start now (up to `want`), and how long to wait when none may.
   * `inFlight`: budget already granted to claims that have not returned yet (default 0).
   */
  budget(want: number, inFlight = 0, now = Date.now()): { allowed: number; waitMs: number } {
    if (!this.limit) return { allowed: want, waitMs: 0 };
    const { max, duration } = this.limit;
    this.expire(now - duration);
    const allowed = Math.max(0, Math.min(want, max - this.used - inFlight));
    if (allowed > 0) return { allowed, waitMs: 0 };
    // The oldest start leaves the window first; with none, only claims in flight hold
    // the budget, and they return (or start jobs) within a round trip.
    const oldest = this.head < this.times.length ? (this.times[this.head] as number) : undefined;
    const waitMs =
      oldest !== undefined
        ? Math.max(1, oldest + duration - now)
        : Math.min(duration, IN_FLIGHT_POLL_MS);
    return { allowed: 0, waitMs };
  }

  /** Records `n` jobs started now. */
  consume(n: number, now = Date.now()): void {
    if (!this.limit || n <= 0) return;
    this.times.push(now);
    this.counts.push(n);
    this.used += n;
  }

  /** Drops the starts at or before `cutoff` (they no longer count). */
  private expire(cutoff: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) {
      this.used -= this.counts[this.head] as number;
      this.head++;
    }
    // Compact now and then: the arrays hold at most `max` live entries.
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.counts.splice(0, this.head);
      this.head = 0;
    }
  }
}
