import type { Operation } from './define.js';
import { canaryRetry, cancelJobs, promoteJobs, removeJobs, retryJobs } from './ops/job-actions.js';
import { getJob, listJobs } from './ops/job-views.js';
import { failureGroups, listAudit, listSchedules, listWorkers, whoami } from './ops/other-views.js';
import {
  cleanQueue,
  drainQueue,
  obliterateQueue,
  pauseQueue,
  resumeQueue,
} from './ops/queue-actions.js';
import { listBackends, overview, queueHealth } from './ops/queue-views.js';
import {
  pauseSchedule,
  removeSchedule,
  resetScheduleDrift,
  resumeSchedule,
} from './ops/schedule-actions.js';

/**
 * Every operation of the admin, in the order the OpenAPI document lists them. The HTTP
 * API, the dashboard and the CLI all run these and nothing else.
 */
export const OPERATIONS: readonly Operation[] = [
  whoami,
  listBackends,
  overview,
  queueHealth,
  listJobs,
  getJob,
  listWorkers,
  listSchedules,
  failureGroups,
  listAudit,
  pauseQueue,
  resumeQueue,
  retryJobs,
  canaryRetry,
  promoteJobs,
  removeJobs,
  cancelJobs,
  cleanQueue,
  drainQueue,
  obliterateQueue,
  pauseSchedule,
  resumeSchedule,
  removeSchedule,
  resetScheduleDrift,
] as unknown as readonly Operation[];
