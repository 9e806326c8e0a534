/**
 * Per-queue wake-ups fed by the listener. Each queue has an epoch that every
 * notification bumps, so a waiter can tell whether something arrived since its last
 * reserve (a notification between an empty reserve and the wait is never lost).
 */
export class Wakeups {
  private readonly epochs = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  /** The queue's notification count so far. */
  epoch(queue: string): number {
    return this.epochs.get(queue) ?? 0;
  }

  /** A notification for `queue`: bump its epoch and wake its waiters. */
  notify(queue: string): void {
    this.epochs.set(queue, this.epoch(queue) + 1);
    const set = this.waiters.get(queue);
    if (set) for (const w of [...set]) w();
  }

  /** Wakes every waiter of every queue (reconnect, close). */
  wakeAll(): void {
    for (const queue of [...this.waiters.keys()]) this.notify(queue);
  }

  /** Registers `wake` for `queue`; returns the function that unregisters it. */
  add(queue: string, wake: () => void): () => void {
    let set = this.waiters.get(queue);
    if (!set) {
      set = new Set();
      this.waiters.set(queue, set);
    }
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.waiters.get(queue) === set) this.waiters.delete(queue);
    };
  }
}
