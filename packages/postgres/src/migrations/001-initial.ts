import { addJob } from './001-initial/add-job.js';
import { addJobs } from './001-initial/add-jobs.js';
import { cancel } from './001-initial/cancel.js';
import { claim } from './001-initial/claim.js';
import { compactCounts } from './001-initial/counts.js';
import { nextDue } from './001-initial/next-due.js';
import { recover } from './001-initial/recover.js';
import { settle, trimFinished } from './001-initial/settle.js';
import { tables } from './001-initial/tables.js';
import { triggers } from './001-initial/triggers.js';
import type { Migration } from './types.js';

/**
 * Version 1: jobs, per-queue settings, counters, dedup keys, logs, and the server-side
 * functions of the hot path (claim, settle, recover, add with dedup). Frozen once
 * released: a change to any of these functions ships as a new migration
 * (`CREATE OR REPLACE FUNCTION`), never as an edit here.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  sql: (n) =>
    [
      tables(n),
      triggers(n),
      addJob(n),
      addJobs(n),
      claim(n),
      trimFinished(n),
      settle(n),
      recover(n),
      cancel(n),
      compactCounts(n),
      nextDue(n),
    ].join('\n'),
};
