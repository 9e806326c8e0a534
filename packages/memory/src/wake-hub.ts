/** The longest delay `setTimeout` honours; longer waits are cut to it. */
const MAX_TIMER_MS = 2_147_483_647;

interface Waiter {
  resolve: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal;
  onAbort: () => void;
  set: Set<Waiter>;
}

/**
 * Parked `waitForWork` calls per queue. A wake-up resolves every waiter of the queue
 * (spurious wake-ups are allowed; each worker just reserves again), and each waiter owns
 * at most one timer and one abort listener, both removed when it resolves.
 */
export class WakeHub {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Parks until `wake(queue)`, `ms` elapsed, or `signal` aborts. Never rejects. */
  wait(queue: string, signal: AbortSignal, ms: number): Promise<void> {
    if (signal.aborted || ms <= 0) return Promise.resolve();
    let set = this.waiters.get(queue);
    if (set === undefined) {
      set = new Set();
      this.waiters.set(queue, set);
    }
    const owner = set;
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: undefined,
        signal,
        onAbort: () => this.finish(queue, waiter),
        set: owner,
      };
      owner.add(waiter);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      if (Number.isFinite(ms)) {
        waiter.timer = setTimeout(() => this.finish(queue, waiter), Math.min(ms, MAX_TIMER_MS));
      }
    });
  }

  /** Resolves every waiter of `queue`. O(1) when nobody waits (the hot path). */
  wake(queue: string): void {
    const set = this.waiters.get(queue);
    if (set === undefined) return;
    for (const waiter of set) this.finish(queue, waiter);
  }

  /** Resolves every waiter of every queue (backend close). */
  wakeAll(): void {
    for (const queue of [...this.waiters.keys()]) this.wake(queue);
  }

  private finish(queue: string, waiter: Waiter): void {
    if (!waiter.set.delete(waiter)) return;
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    if (waiter.set.size === 0 && this.waiters.get(queue) === waiter.set) this.waiters.delete(queue);
    waiter.resolve();
  }
}
