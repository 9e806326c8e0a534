/** What a timed drain measured. */
export interface DrainResult {
  /** From the first processor call to the `n`th completion the system confirmed. */
  ms: number;
  /** Completions counted (must equal `n`; more means duplicates). */
  completed: number;
}

/**
 * One system under test, bound to one fresh namespace (queue name, key prefix or
 * schema). Every method but `teardown` is called at most once per instance, after
 * `setup`, so each measurement starts from an empty store.
 */
export interface BenchSystem {
  /** Connects and creates the namespace. Untimed. */
  setup(): Promise<void>;
  /** Adds `n` jobs one `add` at a time with `inFlight` calls outstanding; elapsed ms. */
  addSingle(n: number, inFlight: number): Promise<number>;
  /** Adds `n` jobs in sequential bulk calls of `batch`; elapsed ms. */
  addBulk(n: number, batch: number): Promise<number>;
  /**
   * Adds `waiting` no-op jobs (untimed, in bulk), then starts one worker at `concurrency`
   * and times it completing the first `n` of them.
   */
  drain(n: number, concurrency: number, waiting?: number): Promise<DrainResult>;
  /**
   * With one idle worker running, adds one job at a time and measures from just before
   * the add call to the processor's start, `samples` times; ms per sample.
   */
  latency(samples: number): Promise<number[]>;
  /** Stops workers, closes connections and deletes the namespace. Idempotent. */
  teardown(): Promise<void>;
}

/** Builds fresh instances of one system and says how it is configured. */
export interface SystemFactory {
  /** Stable id, used on the command line (`--systems`). */
  readonly id: string;
  /** Column label, e.g. `@mq/redis` or `bullmq 6.7.0 (redis)`. */
  readonly label: string;
  /** True for our own packages: ratios are ours ÷ each peer. */
  readonly ours: boolean;
  /** How it is configured, for the notes under the table. */
  readonly notes: string;
  /** Null when usable, else why its column is skipped. */
  check(): Promise<string | null>;
  /** A fresh instance in its own namespace; `runId` is unique per call. */
  create(runId: string): BenchSystem;
}
