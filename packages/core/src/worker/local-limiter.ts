/**
 * This worker's own rate limit: at most `max` starts per fixed window of `duration` ms.
 * (The queue-global limit lives in the backend.)
 */
export class LocalLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly limit: { max: number; duration: number } | undefined) {}

  /** How many jobs may start now (up to `want`), and how long to wait when none may. */
  budget(want: number, now = Date.now()): { allowed: number; waitMs: number } {
    if (!this.limit) return { allowed: want, waitMs: 0 };
    if (now - this.windowStart >= this.limit.duration) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = Math.min(want, this.limit.max - this.used);
    return { allowed, waitMs: allowed > 0 ? 0 : this.windowStart + this.limit.duration - now };
  }

  /** Records `n` starts in the current window. */
  consume(n: number): void {
    this.used += n;
  }
}
