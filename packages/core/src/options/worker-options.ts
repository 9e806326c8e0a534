import { type TSchema, Type } from '@sinclair/typebox';
import type { BackoffStrategy } from '../backoff.js';
import type { Backend } from '../contract/index.js';
import { Count, Text, TimerMs } from './limits.js';

/** Options of `new Worker(queue, processor, options)`. */
export interface WorkerOptions {
  backend: Backend;
  /** Jobs run at once by this worker. Default 1. */
  concurrency?: number;
  /** Lease length in ms; renewed every `leaseMs / 2` while the job runs. Default 30,000. */
  leaseMs?: number;
  /** At most `max` jobs started per `duration` ms by this worker. Default none. */
  limiter?: { max: number; duration: number };
  /** Stall recoveries a job survives before it fails. Default 1. */
  maxStalls?: number;
  /** How often this worker recovers expired leases of the queue, in ms; 0 disables. Default 30,000. */
  stalledIntervalMs?: number;
  /** Heartbeat period for the worker registry, in ms. Default 10,000. */
  heartbeatIntervalMs?: number;
  /** Longest idle wait before asking the backend again, in ms. Default 5,000. */
  idleWaitMs?: number;
  /**
   * How long `close()` waits for running jobs, in ms, before aborting them and handing
   * their leases back. `close()` resolves within this plus 2 s, whatever the backend does.
   * Default 30,000.
   */
  closeTimeoutMs?: number;
  /**
   * Deadline of each backend call the worker makes (claim, settle, lease renewal,
   * heartbeat), in ms. A call past it is reported as a `BackendTimeoutError` on `error`
   * and the worker backs off (up to 30 s) before claiming again. Default 10,000.
   */
  callTimeoutMs?: number;
  /** Start consuming in the constructor. Default true; else call `run()`. */
  autorun?: boolean;
  /** Named strategies for `backoff: { type: 'custom', name }`. */
  backoffStrategies?: Readonly<Record<string, BackoffStrategy>>;
  /** TypeBox schema per job name: a payload failing it fails the job without retry. */
  schemas?: Readonly<Record<string, TSchema>>;
  /** Publish job events to the backend's bus. Default true. */
  events?: boolean;
  /** Worker id in the registry and on leases. Default `<host>:<pid>:<random>`. */
  id?: string;
  /** Runs before the first claim (e.g. open connections the processor needs). */
  onStart?: () => Promise<void> | void;
  /** Runs after the last job settled on close. */
  onStop?: () => Promise<void> | void;
}

/** Schema of the serializable part of `WorkerOptions`. */
export const WorkerOptionsSchema = Type.Object({
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  leaseMs: Type.Optional(TimerMs(50)),
  limiter: Type.Optional(
    Type.Object({ max: Count(1), duration: TimerMs(1) }, { additionalProperties: false }),
  ),
  maxStalls: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  stalledIntervalMs: Type.Optional(TimerMs(0)),
  heartbeatIntervalMs: Type.Optional(TimerMs(10)),
  idleWaitMs: Type.Optional(TimerMs(1)),
  closeTimeoutMs: Type.Optional(TimerMs(0)),
  callTimeoutMs: Type.Optional(TimerMs(1)),
  autorun: Type.Optional(Type.Boolean()),
  events: Type.Optional(Type.Boolean()),
  id: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
});
