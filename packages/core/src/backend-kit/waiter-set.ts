import { MAX_TIMER_MS } from '../options/limits.js';

/** A parked wait, from {@link WaiterSet.park}. */
export interface Parked {
  /** Resolves when woken, timed out, aborted or the set closed. Never rejects. */
  readonly done: Promise<void>;
  /** Ends the wait at most `ms` from now (never later than it would have ended). */
  shorten(ms: number): void;
}

interface Waiter {
  resolve: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  deadline: number;
  signal: AbortSignal;
  onAbort: () => void;
  set: Set<Waiter>;
}

/**
 * The parked `waitForWork` calls of a backend, by queue: what every backend's wake-up
 * path needs, whatever wakes it (an in-process add, a Redis marker, a NOTIFY, a poll).
 *
 * A wake-up resolves every waiter of the queue (spurious wake-ups are allowed: a worker
 * just reserves again). Each waiter owns one timer and one abort listener, both removed
 * when it resolves, so nothing leaks when waits time out by the million. Each queue also
 * has an epoch that every wake-up bumps: a caller that noted the epoch before an empty
 * reserve can tell that work arrived before it parked (a wake-up in that gap is never
 * lost).
 */
export class WaiterSet {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly epochs = new Map<string, number>();
  private closed = false;

  /** How many wake-ups `queue` has had so far. */
  epoch(queue: string): number {
    return this.epochs.get(queue) ?? 0;
  }

  /** Callers parked on `queue` now. */
  waiting(queue: string): number {
    return this.waiters.get(queue)?.size ?? 0;
  }

  /** Parks until `wake(queue)`, `ms` elapsed, `signal` aborts or `close()`. */
  wait(queue: string, signal: AbortSignal, ms: number): Promise<void> {
    return this.park(queue, signal, ms).done;
  }

  /** {@link wait}, with a handle to end it sooner (e.g. when a delayed job comes due). */
  park(queue: string, signal: AbortSignal, ms: number): Parked {
    if (this.closed || signal.aborted || ms <= 0)
      return { done: Promise.resolve(), shorten: () => {} };
    let set = this.waiters.get(queue);
    if (set === undefined) {
      set = new Set();
      this.waiters.set(queue, set);
    }
    const owner = set;
    let waiter!: Waiter;
    const done = new Promise<void>((resolve) => {
      waiter = {
        resolve,
        timer: undefined,
        deadline: Date.now() + ms,
        signal,
        onAbort: () => this.finish(queue, waiter),
        set: owner,
      };
      owner.add(waiter);
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.arm(queue, waiter, ms);
    });
    return {
      done,
      shorten: (sooner) => {
        if (!owner.has(waiter) || Date.now() + sooner >= waiter.deadline) return;
        if (sooner <= 0) return this.finish(queue, waiter);
        waiter.deadline = Date.now() + sooner;
        this.arm(queue, waiter, sooner);
      },
    };
  }

  /** Bumps the epoch of `queue` and resolves its waiters. O(1) when nobody waits. */
  wake(queue: string): void {
    this.epochs.set(queue, this.epoch(queue) + 1);
    const set = this.waiters.get(queue);
    if (set === undefined) return;
    for (const waiter of set) this.finish(queue, waiter);
  }

  /** Wakes every queue (a reconnect: whatever was missed, reserve again). */
  wakeAll(): void {
    for (const queue of [...this.waiters.keys()]) this.wake(queue);
  }

  /** Wakes everyone; later waits resolve at once (backend close). */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private arm(queue: string, waiter: Waiter, ms: number): void {
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.timer = Number.isFinite(ms)
      ? setTimeout(() => this.finish(queue, waiter), Math.min(ms, MAX_TIMER_MS))
      : undefined;
  }

  private finish(queue: string, waiter: Waiter): void {
    if (!waiter.set.delete(waiter)) return;
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    if (waiter.set.size === 0 && this.waiters.get(queue) === waiter.set) this.waiters.delete(queue);
    waiter.resolve();
  }
}
