import { type Static, Type } from '@sinclair/typebox';
import { JobNameSchema, JobOptionsSchema } from './job-options.js';
import { Count, DurationMs, MAX_TIMESTAMP_MS, Text } from './limits.js';

const Timestamp = Type.Integer({ minimum: 0, maximum: MAX_TIMESTAMP_MS });

/** Schema of a repeat specification (see `RepeatSpec`). */
export const RepeatSpecSchema = Type.Object(
  {
    cron: Type.Optional(Text({ minLength: 1, maxLength: 256 })),
    tz: Type.Optional(Text({ minLength: 1, maxLength: 64 })),
    every: Type.Optional(DurationMs(1)),
    startDate: Type.Optional(Timestamp),
    endDate: Type.Optional(Timestamp),
    limit: Type.Optional(Count(1)),
    immediately: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** What a durable schedule adds on each tick. */
export const RepeatTemplateSchema = Type.Object(
  {
    name: JobNameSchema,
    data: Type.Optional(Type.Unknown()),
    opts: Type.Optional(Type.Omit(JobOptionsSchema, ['jobId', 'delay'])),
  },
  { additionalProperties: false },
);

/** What a durable schedule adds on each tick: job name, payload, options. */
export type RepeatTemplate = Static<typeof RepeatTemplateSchema>;

/** Schedule ids: stable and user-chosen. */
export const ScheduleIdSchema = Text({ minLength: 1, maxLength: 256 });
