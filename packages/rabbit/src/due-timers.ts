/**
 * One timer per delayed job this process learned about (a delayed add's notice, or a
 * retry it settled): when due, `fire` publishes a fresh delivery notice so that an idle
 * worker wakes and the store's `reserve` promotes the job. Timers never keep the process
 * alive. If the process dies first, a consumer's sweep publishes due jobs instead.
 */
export class DueTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly fire: (queue: string, jobId: string) => void) {}

  /** Arms (or re-arms) the timer of one job. */
  arm(queue: string, jobId: string, runAt: number): void {
    if (this.closed) return;
    const key = `${queue}\u0000${jobId}`;
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    // Node's timers take at most 2^31-1 ms; a later job is re-armed when that fires.
    const wait = Math.min(Math.max(0, runAt - Date.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (runAt > Date.now()) this.arm(queue, jobId, runAt);
      else this.fire(queue, jobId);
    }, wait);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Timers armed now. */
  get size(): number {
    return this.timers.size;
  }

  /** Drops the timers of one queue (obliterated). */
  dropQueue(queue: string): void {
    const start = `${queue}\u0000`;
    for (const [key, timer] of this.timers) {
      if (key.startsWith(start)) {
        clearTimeout(timer);
        this.timers.delete(key);
      }
    }
  }

  /** Clears every timer; later `arm` calls do nothing. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
