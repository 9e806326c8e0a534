/**
 * The TypeBox schemas shared by the operations' requests and results. The same schemas
 * validate requests, type the results and generate the OpenAPI document.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** Names one backend of the admin; the first backend when absent. */
export const BackendName = Type.Optional(
  Type.String({
    pattern: '^[A-Za-z0-9._-]{1,64}$',
    description: 'Backend name (default: the first).',
  }),
);

/** A queue name, as core accepts them. */
export const QueueName = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
});

/** Why an operator acts: stored in the audit record. */
export const Reason = Type.String({
  minLength: 3,
  maxLength: 500,
  description: 'Why this action is taken (kept in the audit log).',
});

/** Job ids (at most 1,000 per request). */
export const JobIds = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
  minItems: 1,
  maxItems: 1000,
});

/** A job state. */
export const JobStateSchema = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('delayed'),
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);

/** Exact job counts per state. */
export const CountsSchema = Type.Object({
  waiting: Type.Integer(),
  delayed: Type.Integer(),
  active: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
});

/** Queue addressed within a backend. */
export const QueueTarget = { backend: BackendName, queue: QueueName };

/** The error recorded on a job. */
export const JobErrorSchema = Type.Object({
  name: Type.String(),
  message: Type.String(),
  stack: Type.Optional(Type.String()),
});

/** A health check result, each linked to the playbook step it belongs to. */
export const CheckSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fail')]),
  detail: Type.String(),
  /** The operations guide's playbook step to take. */
  playbook: Type.String(),
});
/** One health check. */
export type Check = Static<typeof CheckSchema>;

/** One queue's line of the overview. */
export const QueueSummarySchema = Type.Object({
  backend: Type.String(),
  queue: Type.String(),
  counts: CountsSchema,
  paused: Type.Boolean(),
  /** Live workers consuming the queue (fresh heartbeats). */
  workers: Type.Integer(),
  /** Sum of their concurrency: the active jobs the queue can run at once. */
  concurrency: Type.Integer(),
  /** Live schedulers covering the queue. */
  schedulers: Type.Integer(),
  /** Age of the oldest waiting job among the next 50 to run, ms; null when none wait. */
  oldestWaitingMs: Type.Union([Type.Number(), Type.Null()]),
  /** How late the most overdue delayed job is, ms (0: none overdue). */
  overdueDelayedMs: Type.Number(),
  /** Completions and failures per minute over the last minute, from the live plane. */
  throughput: Type.Union([
    Type.Object({ completedPerMin: Type.Number(), failedPerMin: Type.Number() }),
    Type.Null(),
  ]),
  /** Short warning codes, e.g. `no-live-worker`, `paused`. */
  warnings: Type.Array(Type.String()),
});
/** One queue's line of the overview. */
export type QueueSummary = Static<typeof QueueSummarySchema>;

/** A job's row in a list (no payload: detail shows it, redacted). */
export const JobSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: JobStateSchema,
  priority: Type.Number(),
  attemptsMade: Type.Integer(),
  attempts: Type.Integer(),
  stalls: Type.Integer(),
  createdAt: Type.Number(),
  runAt: Type.Number(),
  startedAt: Type.Optional(Type.Number()),
  finishedAt: Type.Optional(Type.Number()),
  workerId: Type.Optional(Type.String()),
  error: Type.Optional(Type.Object({ name: Type.String(), message: Type.String() })),
});
/** A job's row in a list. */
export type JobSummary = Static<typeof JobSummarySchema>;

/** What a destructive action would do: returned by `dryRun: true`. */
export const DryRunSchema = Type.Object({
  dryRun: Type.Literal(true),
  /** Jobs the action would change now. Pass it back as `confirmCount`. */
  count: Type.Integer(),
  /** False when the count stopped at a scan bound (the action may touch more). */
  exact: Type.Boolean(),
  /** A few of the jobs it would change. */
  sample: Type.Array(Type.String()),
});

/** The result of a mutation that changes jobs. */
export const ChangedSchema = Type.Object({
  dryRun: Type.Literal(false),
  count: Type.Integer(),
  ids: Type.Optional(Type.Array(Type.String())),
});

/** Either a dry-run preview or the changes made. */
export const MutationResult = Type.Union([DryRunSchema, ChangedSchema]);
/** A dry-run preview or the changes made. */
export type MutationResultT = Static<typeof MutationResult>;

/** Optional fields of destructive requests: `dryRun` and the count confirmed. */
export const Confirmable = {
  dryRun: Type.Optional(Type.Boolean({ description: 'Preview the count; change nothing.' })),
  confirmCount: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: "The dry run's count; the action refuses when it would now change more.",
    }),
  ),
};

/** A paging cursor (opaque to clients). */
export const Cursor = Type.Optional(Type.String({ maxLength: 32 }));

/** Helper: an object schema with the shared `additionalProperties: false`. */
export function Req<P extends Record<string, TSchema>>(props: P) {
  return Type.Object(props, { additionalProperties: false });
}
