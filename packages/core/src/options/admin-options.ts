import { Type } from '@sinclair/typebox';
import { Count, DurationMs, Text, TimerMs } from './limits.js';

const Ids = Type.Array(Text({ minLength: 1, maxLength: 256 }), { maxItems: 100_000 });

/** Schema of `Queue.getJobs` paging. */
export const PageSchema = Type.Object(
  {
    offset: Type.Optional(Count(0)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);

/** Schema of a job state argument. */
export const StateSchema = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('delayed'),
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

/** Schema of `Queue.cleanJobs`. */
export const CleanSchema = Type.Object(
  {
    state: Type.Union([
      Type.Literal('waiting'),
      Type.Literal('delayed'),
      Type.Literal('completed'),
      Type.Literal('failed'),
    ]),
    /** Finished at or before `now − grace` ms. */
    grace: DurationMs(0),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/** Schema of `Queue.retryJobs`. */
export const RetrySchema = Type.Union([
  Type.Object({ ids: Ids }, { additionalProperties: false }),
  Type.Object(
    {
      state: Type.Union([Type.Literal('failed'), Type.Literal('completed')]),
      limit: Type.Integer({ minimum: 1, maximum: 100_000 }),
    },
    { additionalProperties: false },
  ),
]);

/** Schema of `Queue.promoteJobs`. */
export const PromoteSchema = Type.Union([
  Type.Object({ ids: Ids }, { additionalProperties: false }),
  Type.Object(
    { limit: Type.Integer({ minimum: 1, maximum: 100_000 }) },
    { additionalProperties: false },
  ),
]);

/** Schema of a global rate limit. */
export const RateLimitSchema = Type.Object(
  { max: Count(1), duration: TimerMs(1) },
  { additionalProperties: false },
);

/** Schema of {@link OperatorAction}: who did an operator action, and why. */
export const OperatorActionSchema = Type.Object(
  {
    actor: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
    reason: Type.Optional(Text({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

/**
 * Who did an operator action, and why: carried in the action's event (`data.actor`,
 * `data.reason`), so live views and audit logs see them. Both optional.
 */
export interface OperatorAction {
  /** E.g. `ops:ada` or `cli:ada@host`; at most 256 characters. */
  actor?: string;
  /** Free text, at most 1,000 characters. */
  reason?: string;
}

/** Schema of a global concurrency limit. */
export const ConcurrencySchema = Type.Integer({ minimum: 1, maximum: 1_000_000 });
