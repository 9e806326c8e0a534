import { type Static, Type } from '@sinclair/typebox';
import { JobNameSchema, JobOptionsSchema } from './job-options.js';

/** Schema of a repeat specification (see `RepeatSpec`). */
export const RepeatSpecSchema = Type.Object(
  {
    cron: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    every: Type.Optional(Type.Integer({ minimum: 1 })),
    startDate: Type.Optional(Type.Integer({ minimum: 0 })),
    endDate: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
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
export const ScheduleIdSchema = Type.String({ minLength: 1, maxLength: 256 });
