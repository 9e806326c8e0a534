/**
 * In-process wake-ups: a wait parked on a queue resolves as soon as this backend adds
 * work to it (or frees it), without waiting for the next poll. Other processes notice
 * by polling (see `waitForWork`).
 */
export class WakeHub {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Registers `fn` for `queue`; returns the function that unregisters it. */
  on(queue: string, fn: () => void): () => void {
    let set = this.waiters.get(queue);
    if (set === undefined) {
      set = new Set();
      this.waiters.set(queue, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.waiters.get(queue) === set) this.waiters.delete(queue);
    };
  }

  /** Wakes every wait on `queue`. */
  wake(queue: string): void {
    const set = this.waiters.get(queue);
    if (set === undefined) return;
    for (const fn of [...set]) fn();
  }

  /** Wakes every wait (on close). */
  wakeAll(): void {
    for (const q of [...this.waiters.keys()]) this.wake(q);
  }
}
