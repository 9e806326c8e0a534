import type { Command } from '../context.js';
import { doctor } from './doctor.js';
import { cancel, canaryRetry, promote, remove, retry } from './job-actions.js';
import { clean, drain, obliterate, pause, resume } from './queue-actions.js';
import { schedules } from './schedules.js';
import { tail } from './tail.js';
import { top } from './top.js';
import { audit, job, jobs, queues, workers } from './views.js';

/** Every `mq` command, in the order `mq --help` lists them. */
export const COMMANDS: readonly Command[] = [
  queues,
  jobs,
  job,
  retry,
  canaryRetry,
  promote,
  remove,
  cancel,
  pause,
  resume,
  clean,
  drain,
  obliterate,
  workers,
  schedules,
  audit,
  doctor,
  tail,
  top,
];
