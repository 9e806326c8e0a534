import { type TSchema, Type } from '@sinclair/typebox';
import type { Backend } from '../contract/index.js';
import type { JobOptions } from './job-options.js';

/** Queue names: letters, digits and `._:-`, so every backend can use them in keys and SQL. */
export const QueueNameSchema = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
});

/** Default payload limit: 512 KiB of JSON. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;

/** Options of `new Queue(name, options)`. */
export interface QueueOptions {
  backend: Backend;
  /** Merged under each job's options (the job's own win). */
  defaultJobOptions?: JobOptions;
  /** Largest JSON payload accepted by `add`, in bytes. Default 512 KiB. */
  maxPayloadBytes?: number;
  /**
   * Typed tasks: a TypeBox schema per job name. `add` validates the payload before
   * writing; pass the same map to the Worker to validate on receipt.
   */
  schemas?: Readonly<Record<string, TSchema>>;
  /** Publish job events (added, deduplicated, …) to the backend's bus. Default true. */
  events?: boolean;
}

/** Schema of the serializable part of `QueueOptions`. */
export const QueueOptionsSchema = Type.Object({
  maxPayloadBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 512 * 1024 * 1024 })),
  events: Type.Optional(Type.Boolean()),
});
