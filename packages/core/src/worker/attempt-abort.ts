/**
 * The abort side of one attempt: what ends it early (timeout, cancel, close, lease
 * loss) and the `signal` its processor may watch. The AbortController behind `signal`
 * is made only when the processor reads it: most processors never do, and an
 * AbortController with its listeners was a measurable share of the per-job cost.
 */
export class AttemptAbort {
  private controller: AbortController | null = null;
  private hook: ((reason: unknown) => void) | null = null;
  /** True once `abort` was called. */
  aborted = false;
  /** The reason `abort` was called with. */
  reason: unknown = undefined;

  /** Fires on timeout, cancel, close or lease loss. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /**
   * What the processor gets as its context: `signal` alone, as an own property (a getter,
   * so the controller is still made only when read) — neither this handle's `abort` nor
   * `race` reaches user code, and `{ ...ctx }` keeps the signal.
   */
  context(): { readonly signal: AbortSignal } {
    const abort = this;
    return {
      get signal() {
        return abort.signal;
      },
    };
  }

  /** Ends the attempt with `reason` (first call wins). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.hook?.(reason);
  }

  /**
   * Settles like `work`, or rejects with the abort reason as soon as `abort` is called:
   * a "hard" limit, the attempt ends even if the processor ignores the signal.
   */
  race<T>(work: Promise<T> | T): Promise<T> {
    if (this.aborted) return Promise.reject(this.reason);
    if (!(work instanceof Promise)) return Promise.resolve(work);
    return new Promise<T>((resolve, reject) => {
      this.hook = reject;
      work.then(
        (v) => {
          this.hook = null;
          resolve(v);
        },
        (e: unknown) => {
          this.hook = null;
          reject(e);
        },
      );
    });
  }
}
