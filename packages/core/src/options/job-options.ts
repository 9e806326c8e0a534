import { type Static, Type } from '@sinclair/typebox';
import {
  Count,
  DurationMs,
  PATTERN_RULE,
  TEXT_PATTERN,
  TEXT_RULE,
  Text,
  TimerMs,
} from './limits.js';

/** Highest priority a job may have (priorities are 0..MAX_PRIORITY, higher runs first). */
export const MAX_PRIORITY = 2_097_151;

/** Schema of `KeepPolicy` (retention of finished jobs). */
export const KeepPolicySchema = Type.Union([
  Type.Boolean(),
  Count(0),
  Type.Object(
    {
      age: Type.Optional(DurationMs(0)),
      count: Type.Optional(Count(0)),
    },
    { additionalProperties: false },
  ),
]);

/** Schema of `backoff`: a number is a fixed delay in ms (at most `MAX_DURATION_MS`). */
export const BackoffSchema = Type.Union([
  DurationMs(0),
  Type.Object(
    {
      type: Type.Literal('fixed'),
      delay: DurationMs(0),
      jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('exponential'),
      delay: DurationMs(0),
      jitter: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
      maxDelay: Type.Optional(DurationMs(0)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('custom'),
      name: Text({ minLength: 1, maxLength: 256 }),
      delay: Type.Optional(DurationMs(0)),
    },
    { additionalProperties: false },
  ),
]);

/** Schema of `deduplication`. */
export const DeduplicationSchema = Type.Object(
  {
    id: Text({ minLength: 1, maxLength: 512 }),
    /** ms the id blocks duplicates for, at most `MAX_DURATION_MS`. Default: until the job finishes. */
    ttl: Type.Optional(DurationMs(1)),
    extend: Type.Optional(Type.Boolean()),
    replace: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** Schema of the options of `Queue.add`. */
export const JobOptionsSchema = Type.Object(
  {
    /** Custom id: adding an id that exists returns the existing job. Not digits only. */
    jobId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        pattern: `(?=[\\s\\S]*\\D)${TEXT_PATTERN}`,
        [PATTERN_RULE]: `must not be digits only, and ${TEXT_RULE}`,
      }),
    ),
    /** ms before the job becomes reservable, at most `MAX_DURATION_MS`. Default 0. */
    delay: Type.Optional(DurationMs(0)),
    /** 0..2,097,151, higher runs first. Default 0. */
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PRIORITY })),
    /** Newest first within its priority. Default false. */
    lifo: Type.Optional(Type.Boolean()),
    /** Total attempts (1 = no retry). Default 1. */
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** Delay between attempts. Default: retry at once. */
    backoff: Type.Optional(BackoffSchema),
    /** Hard limit per attempt in ms, at most `MAX_TIMER_MS` (a timer holds it). Default none. */
    timeout: Type.Optional(TimerMs(1)),
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
export const JobNameSchema = Text({ minLength: 1, maxLength: 256 });

/** Default retention of completed jobs: one day, at most 1,000. */
export const DEFAULT_REMOVE_ON_COMPLETE = { age: 86_400_000, count: 1000 } as const;
/** Default retention of failed jobs: one week, at most 10,000. */
export const DEFAULT_REMOVE_ON_FAIL = { age: 604_800_000, count: 10_000 } as const;
