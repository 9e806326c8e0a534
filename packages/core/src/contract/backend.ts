import type { LockStore } from './coordination.js';
import type { EventBus } from './event-bus.js';
import type { JobStore } from './job-store.js';
import type { QueueAdmin } from './queue-admin.js';
import type { ScheduleStore } from './schedule-store.js';
import type { WorkerRegistry } from './worker-registry.js';

/**
 * What a backend can promise, as data. The conformance suite gates tests on these,
 * never on the backend's name.
 */
export interface BackendCapabilities {
  /** Locks exclude each other across processes. */
  distributedLocks: boolean;
  /** `setGlobalLimits({ rate })` is enforced by `reserve` across all workers. */
  globalRateLimit: boolean;
  /** `setGlobalLimits({ concurrency })` is enforced by `reserve` across all workers. */
  globalConcurrency: boolean;
  /** `waitForWork` wakes on new jobs without polling. */
  pushWakeups: boolean;
  /** Events reach subscribers in other processes. */
  distributedEvents: boolean;
  /** Jobs survive a restart of the process that holds the backend. */
  durable: boolean;
  /** `fire` is a compare-and-set across processes (schedules fire once with N schedulers). */
  distributedSchedules: boolean;
  /**
   * Concurrent conditional writes to one stored job, key or schedule are atomic: of N
   * racing compare-and-set writers exactly one wins, and no write is lost. Optional:
   * absent means true. A backend over a store that reads and writes an update in
   * separate steps (FerretDB 1.x) declares false; the suite then skips the tests that
   * race writers on one record.
   */
  atomicUpdates?: boolean;
}

/**
 * A storage backend: role interfaces composed into one object, so a backend can
 * borrow parts from another (RabbitMQ delivery + another backend's store).
 */
export interface Backend {
  /** For logs and the admin UI only; never branch on it. */
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  readonly jobs: JobStore;
  readonly admin: QueueAdmin;
  readonly schedules: ScheduleStore;
  readonly locks: LockStore;
  readonly workers: WorkerRegistry;
  readonly events: EventBus;
  /** Connects (or checks the schema) before first use; idempotent. */
  ready(): Promise<void>;
  /** Releases connections the backend opened itself. Idempotent. */
  close(): Promise<void>;
}
