export { type CliArgs, parseCli, schedulerSettings, USAGE } from './cli-args.js';
export { SchedulerConfigError } from './errors.js';
export { type FirePass, fireDue, type MissedTickPolicy } from './fire-due.js';
export { recoverStalled, type StalledPass, sweepRetention } from './maintenance.js';
export {
  type SchedulerOptions,
  SchedulerOptionsSchema,
  type SchedulerSettings,
} from './options.js';
export { Scheduler, type SchedulerEvents } from './scheduler.js';
