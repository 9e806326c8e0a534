/**
 * The dashboard's types are the API's own: each is the `Static` of the result schema the
 * server validates and documents, so a change to an operation breaks the UI's build.
 */
import type { Static } from '@sinclair/typebox';
import type { canaryRetry } from '../../src/operations/ops/job-actions.js';
import type { getJob, listJobs } from '../../src/operations/ops/job-views.js';
import type {
  failureGroups,
  listAudit,
  listSchedules,
  listWorkers,
  whoami,
} from '../../src/operations/ops/other-views.js';
import type { overview, queueHealth } from '../../src/operations/ops/queue-views.js';
import type { ChangedSchema, DryRunSchema } from '../../src/operations/schemas.js';

export type Me = Static<typeof whoami.result>;
export type Overview = Static<typeof overview.result>;
export type QueueSummary = Overview['queues'][number];
export type Health = Static<typeof queueHealth.result>;
export type JobsPage = Static<typeof listJobs.result>;
export type JobDetail = Static<typeof getJob.result>;
export type FailureGroups = Static<typeof failureGroups.result>;
export type Canary = Static<typeof canaryRetry.result>;
export type Schedules = Static<typeof listSchedules.result>;
export type Workers = Static<typeof listWorkers.result>;
export type Audit = Static<typeof listAudit.result>;
export type DryRun = Static<typeof DryRunSchema>;
export type Changed = Static<typeof ChangedSchema>;
