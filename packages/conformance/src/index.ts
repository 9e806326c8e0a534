/**
 * The @mq backend conformance suite, for first- and third-party backends.
 *
 * ```ts
 * import { runConformance } from '@mq/conformance';
 * runConformance({ name: 'my-store', createBackend: () => createMyBackend({ url }) });
 * ```
 */
export { ConformanceOptionError } from './errors.js';
export {
  CONCERNS,
  type ConcernName,
  type ConformanceOptions,
  type ConformanceTiming,
  DEFAULT_LEASE_MS,
  DEFAULT_SLACK_MS,
  DEFAULT_TICK_MS,
} from './options.js';
export { runConformance } from './run-conformance.js';
/** Contract-level helpers for a backend's own tests. */
export {
  addTasks,
  completeLease,
  failLease,
  leaseJobs,
  leaseOneJob,
  settlesWithin,
  taskJob,
} from './support/backend-kit.js';
export { addRaw, rawJob, reserve, reserveAllInOrder } from './support/raw-jobs.js';
