import { BackendTimeoutError } from '../errors.js';
import { MAX_TIMER_MS } from '../options/limits.js';

/**
 * Settles like `work`, or rejects with a `BackendTimeoutError` after `ms`: a hung
 * connection must not hold the worker forever. The call itself is not cancelled (no
 * driver can take a command back); `onLate` receives its result if it arrives after the
 * deadline, so what it claimed can be handed back.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  backend: string,
  operation: string,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(
      () => {
        late = true;
        reject(new BackendTimeoutError(backend, operation, ms));
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    work.then(
      (v) => {
        clearTimeout(timer);
        if (late) onLate?.(v);
        else resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (!late) reject(err);
      },
    );
  });
}

/**
 * Waits for `work` until `until` (an epoch ms), whichever comes first; never rejects.
 * For closing: whatever the backend does, `close()` returns by its deadline.
 */
export async function settledBy(
  work: Promise<unknown> | null | undefined,
  until: number,
): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((r) => {
      timer = setTimeout(r, Math.max(0, Math.min(until - Date.now(), MAX_TIMER_MS)));
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Tells a busy loop when to give the event loop a turn. A backend that answers from
 * memory resolves every call in a microtask, so a worker draining it would never let
 * timers or I/O run; after `turnMs` of work it waits one `setImmediate`.
 */
export class TurnClock {
  private since = performance.now();

  constructor(private readonly turnMs: number) {}

  /** Resolves at once, or after one `setImmediate` when the turn is used up. */
  pass(): Promise<void> | undefined {
    if (performance.now() - this.since < this.turnMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.since = performance.now();
        resolve();
      }),
    );
  }
}
