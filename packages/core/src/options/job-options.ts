import { type Static, Type } from '@sinclair/typebox';

/** Highest priority a job may have (priorities are 0..MAX_PRIORITY, higher runs first). */
export const MAX_PRIORITY = 2_097_151;

/** Schema of `KeepPolicy` (retention of finished jobs). */
export const KeepPolicySchema = Type.Union([
  Type.Boolean(),
  Type.Integer({ minimum: 0 }),
  Type.Object(
    {
      age: Type.Optional(Type.Integer({ minimum: 0, description: 'ms' })),
      count: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
]);

/** Schema of `backoff`: a number is a fixed delay in ms. */
export const BackoffSchema = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.Object(
    {
      type: Type.Literal('fixed'),
      delay: Type.Integer({ minimum: 0 }),
      jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('exponential'),
      delay: Type.Integer({ minimum: 0 }),
      jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      maxDelay: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('custom'),
      name: Type.String({ minLength: 1 }),
      delay: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
]);

/** Schema of `deduplication`. */
export const DeduplicationSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 512 }),
    ttl: Type.Optional(Type.Integer({ minimum: 1 })),
    extend: Type.Optional(Type.Boolean()),
    replace: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Schema of the options of `Queue.add`. */
export const JobOptionsSchema = Type.Object(
  {
    /** Custom id: adding an id that exists returns the existing job. Not digits only. */
    jobId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '\\D' })),
    /** ms before the job becomes reservable. Default 0. */
    delay: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 41 })),
    /** 0..2,097,151, higher runs first. Default 0. */
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PRIORITY })),
    /** Newest first within its priority. Default false. */
    lifo: Type.Optional(Type.Boolean()),
    /** Total attempts (1 = no retry). Default 1. */
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Delay between attempts. Default: retry at once. */
    backoff: Type.Optional(BackoffSchema),
    /** Hard limit per attempt in ms. Default none. */
    timeout: Type.Optional(Type.Integer({ minimum: 1 })),
    deduplication: Type.Optional(DeduplicationSchema),
    /** Default `{ age: 86_400_000, count: 1000 }` (one day, at most 1,000 jobs). */
    removeOnComplete: Type.Optional(KeepPolicySchema),
    /** Default `{ age: 604_800_000, count: 10_000 }` (one week, at most 10,000 jobs). */
    removeOnFail: Type.Optional(KeepPolicySchema),
  },
  { additionalProperties: false },
);

/** Options of `Queue.add` (see `JobOptionsSchema` for rules and defaults). */
export type JobOptions = Static<typeof JobOptionsSchema>;

/** Job names: what a worker dispatches on. */
export const JobNameSchema = Type.String({ minLength: 1, maxLength: 256 });

/** Default retention of completed jobs: one day, at most 1,000. */
export const DEFAULT_REMOVE_ON_COMPLETE = { age: 86_400_000, count: 1000 } as const;
/** Default retention of failed jobs: one week, at most 10,000. */
export const DEFAULT_REMOVE_ON_FAIL = { age: 604_800_000, count: 10_000 } as const;
