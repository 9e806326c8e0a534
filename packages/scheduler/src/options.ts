import { type Static, Type } from '@sinclair/typebox';
import { type Backend, QueueNameSchema, Text, TimerMs } from '@mq/core';

/** Schema of the serializable part of `SchedulerOptions`. */
export const SchedulerOptionsSchema = Type.Object({
  queues: Type.Array(QueueNameSchema, { minItems: 1 }),
  id: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
  scanIntervalMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 3_600_000 })),
  missedTicks: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('catch-up')])),
  missedTickToleranceMs: Type.Optional(TimerMs(0)),
  stalled: Type.Optional(
    Type.Union([
      Type.Literal(false),
      Type.Object(
        {
          intervalMs: Type.Optional(TimerMs(1)),
          maxStalls: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
        },
        { additionalProperties: false },
      ),
    ]),
  ),
  retention: Type.Optional(
    Type.Union([
      Type.Literal(false),
      Type.Object(
        {
          intervalMs: Type.Optional(TimerMs(1)),
          batch: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        },
        { additionalProperties: false },
      ),
    ]),
  ),
  heartbeatIntervalMs: Type.Optional(TimerMs(10)),
  autorun: Type.Optional(Type.Boolean()),
});

/** The serializable options, validated with `SchedulerOptionsSchema`. */
export type SchedulerSettings = Static<typeof SchedulerOptionsSchema>;

/**
 * Options of `new Scheduler(options)`.
 *
 * - `queues`: the queues whose schedules, stalled jobs and retention this scheduler serves.
 * - `scanIntervalMs`: how often schedules are re-read to notice new or changed ones;
 *   between scans the scheduler sleeps until the earliest planned tick. Default 1,000.
 * - `missedTicks`: after downtime, `skip` (default) drops missed ticks and waits for the
 *   next one; `catch-up` fires once for the missed ticks, then follows the spec.
 * - `missedTickToleranceMs`: a tick later than this counts as missed; later-but-within
 *   ticks all fire, so a slow pass never leaves gaps. Default 1,000.
 * - `stalled`: recovery of expired leases; `{ intervalMs: 5_000, maxStalls: 1 }` by
 *   default; `false` disables it (the workers also recover stalls).
 * - `retention`: every `intervalMs` (default 60,000) applies each finished job's own
 *   `removeOnComplete` / `removeOnFail` (as stored with the job), in pages of `batch`
 *   (default 1,000); `false` disables it. The backend applies the same policies at
 *   settle time; the sweep catches queues that went quiet, whose age policies no
 *   settle has applied since. It has no ages of its own: a job kept by its policy
 *   (`false`, a long age) is never removed by the sweep. (`completedAgeMs` and
 *   `failedAgeMs` of earlier versions are refused: set the ages per job or in the
 *   queue's `defaultJobOptions`.)
 * - `heartbeatIntervalMs`: registry heartbeat, visible with the workers. Default 10,000.
 * - `autorun`: start in the constructor, as a Worker and QueueEvents do (on the next
 *   turn of the event loop, so `addRepeatable` calls chained on `new` come first).
 *   Default true; with `false`, call `start()`.
 *
 * Every interval is at most 2³¹−1 ms (`MAX_TIMER_MS`), the longest a timer holds.
 */
export interface SchedulerOptions extends SchedulerSettings {
  backend: Backend;
}
