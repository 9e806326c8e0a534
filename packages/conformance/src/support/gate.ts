/**
 * A promise a test opens when it chooses: processors await it to stay active until the
 * test has looked at them.
 */
export class Gate {
  readonly promise: Promise<void>;
  private resolve!: () => void;
  private opened = false;

  constructor() {
    this.promise = new Promise<void>((r) => {
      this.resolve = r;
    });
  }

  /** True once `open` was called. */
  get isOpen(): boolean {
    return this.opened;
  }

  /** Lets every waiter through. Idempotent. */
  open(): void {
    this.opened = true;
    this.resolve();
  }
}
