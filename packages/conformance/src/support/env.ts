import type { Backend, BackendCapabilities } from '@mq/core';
import type { ResolvedOptions, ResolvedTiming } from '../options.js';

/**
 * What every concern shares: the backend under test, extra backends for cross-process
 * tests, and the time bounds derived from the caller's timing.
 */
export class SuiteEnv {
  readonly timing: ResolvedTiming;
  private probe: Backend | null = null;
  private readonly created: Backend[] = [];

  constructor(private readonly options: ResolvedOptions) {
    this.timing = options.timing;
  }

  /** The backend most tests use; created in the suite's `beforeAll`. */
  get backend(): Backend {
    if (!this.probe)
      throw new Error('The conformance backend is created in beforeAll; use it inside tests.');
    return this.probe;
  }

  /** The capabilities of the backend under test. */
  get capabilities(): BackendCapabilities {
    return this.backend.capabilities;
  }

  /** Creates the backend the tests share. */
  async start(): Promise<void> {
    this.probe = await this.createBackend();
  }

  /** A further backend on the same store (another "process"), closed in `afterAll`. */
  async createBackend(): Promise<Backend> {
    const backend = await this.options.createBackend();
    this.created.push(backend);
    await backend.ready();
    return backend;
  }

  /** Closes every backend the suite created. */
  async closeAll(): Promise<void> {
    const backends = this.created.splice(0);
    this.probe = null;
    const results = await Promise.allSettled(backends.map((b) => b.close()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Upper bound for a wake-up `afterMs` from now: the delay, five backend ticks, and the
   * slack for scheduler noise.
   */
  wakeBound(afterMs = 0): number {
    return afterMs + 5 * this.timing.tickMs + this.timing.slackMs;
  }

  /**
   * How long to wait for something that must simply happen (a job completing). Generous,
   * because `waitFor` returns as soon as it holds; only failures wait this long.
   */
  get patienceMs(): number {
    return Math.max(5_000, 10 * this.timing.leaseMs, 40 * this.timing.tickMs);
  }

  /** A lease for contract-level tests that must watch it expire. */
  get shortLeaseMs(): number {
    return Math.max(20, 2 * this.timing.tickMs);
  }

  /** Per-test timeout: room for a few `patienceMs` waits. */
  get testTimeoutMs(): number {
    return 3 * this.patienceMs;
  }
}
