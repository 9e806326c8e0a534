/** What a backend runs to open and to close its connections. */
export interface LifecycleHooks {
  /** Connects and prepares (scripts, schema checks). May fail; it is tried again on the next `ready()`. */
  open: () => Promise<void>;
  /** Releases everything `open` made. Runs once, even if `open` never ran or failed. */
  shut: () => Promise<void>;
  /** The error `ready()` rejects with once the backend is closed. */
  closedError: () => Error;
}

/**
 * The `ready()` / `close()` pair every backend owes: `ready()` is shared by concurrent
 * callers, **retried after a failure** (a store that was down at start must not stay
 * failed forever: a worker keeps calling `ready()` until it answers), and refused after
 * `close()`; `close()` is idempotent and waits for an `open` in flight first.
 */
export class Lifecycle {
  private opening: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly hooks: LifecycleHooks) {}

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  /** Opens once; concurrent callers share the attempt; a failed attempt is not kept. */
  ready(): Promise<void> {
    if (this.closing) return Promise.reject(this.hooks.closedError());
    this.opening ??= this.hooks.open().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  /** Closes once; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.opening?.catch(() => undefined);
      await this.hooks.shut();
    })();
    return this.closing;
  }
}
