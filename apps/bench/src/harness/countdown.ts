/**
 * Counts completions towards a target: `done` resolves the first time the count
 * reaches it. Counts past the target are kept, so a caller can detect duplicates.
 */
export class Countdown {
  count = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(readonly target: number) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    if (target <= 0) this.resolve();
  }

  /** Records `k` completions (default 1). */
  tick(k = 1): void {
    const before = this.count;
    this.count += k;
    if (before < this.target && this.count >= this.target) this.resolve();
  }
}
