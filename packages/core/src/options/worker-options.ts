import { type TSchema, Type } from '@sinclair/typebox';
import type { BackoffStrategy } from '../backoff.js';
import type { Backend } from '../contract/index.js';

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
  /** How long `close()` waits for running jobs, in ms. Default 30,000. */
  closeTimeoutMs?: number;
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

const Ms = (min: number) => Type.Integer({ minimum: min, maximum: 2 ** 31 - 1 });

/** Schema of the serializable part of `WorkerOptions`. */
export const WorkerOptionsSchema = Type.Object({
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  leaseMs: Type.Optional(Ms(50)),
  limiter: Type.Optional(
    Type.Object(
      { max: Type.Integer({ minimum: 1 }), duration: Ms(1) },
      { additionalProperties: false },
    ),
  ),
  maxStalls: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  stalledIntervalMs: Type.Optional(Ms(0)),
  heartbeatIntervalMs: Type.Optional(Ms(10)),
  idleWaitMs: Type.Optional(Ms(1)),
  closeTimeoutMs: Type.Optional(Ms(0)),
  autorun: Type.Optional(Type.Boolean()),
  events: Type.Optional(Type.Boolean()),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});
