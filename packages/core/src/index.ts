export { type BackoffStrategy, backoffDelay } from './backoff.js';
export * from './backend-url/index.js';
export * from './contract/index.js';
export {
  BackendTimeoutError,
  CancelledError,
  ClosedError,
  JobStateError,
  LeaseLostError,
  MqError,
  ObliterateRefusedError,
  PayloadTooLargeError,
  InvalidBackoffError,
  TimeoutError,
  UnknownBackoffError,
  UnrecoverableError,
  UnsupportedError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export { Job } from './job.js';
export {
  CleanSchema,
  ConcurrencySchema,
  type OperatorAction,
  OperatorActionSchema,
  PageSchema,
  PromoteSchema,
  RateLimitSchema,
  RetrySchema,
  StateSchema,
} from './options/admin-options.js';
export {
  BackoffSchema,
  DEFAULT_REMOVE_ON_COMPLETE,
  DEFAULT_REMOVE_ON_FAIL,
  DeduplicationSchema,
  type JobOptions,
  JobNameSchema,
  JobOptionsSchema,
  KeepPolicySchema,
  MAX_PRIORITY,
} from './options/job-options.js';
export {
  MAX_COUNT,
  MAX_DURATION_MS,
  MAX_TIMER_MS,
  MAX_TIMESTAMP_MS,
  TEXT_RULE,
  Text,
  TimerMs,
} from './options/limits.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  type QueueOptions,
  QueueOptionsSchema,
  QueueNameSchema,
} from './options/queue-options.js';
export {
  type RepeatTemplate,
  RepeatSpecSchema,
  ScheduleIdSchema,
  RepeatTemplateSchema,
} from './options/repeat-options.js';
export { type WorkerOptions, WorkerOptionsSchema } from './options/worker-options.js';
export { type AddedJob, type BulkJob, type Page, Queue, type QueueLocalEvents } from './queue.js';
export { type QueueEventListeners, QueueEvents, type QueueEventsOptions } from './queue-events.js';
export { assertRepeatSpec, canonicalJson, nextTick, sameRepeatSpec } from './repeat.js';
export { type Closable, closeOnSignals } from './shutdown.js';
export { type EventMap, TypedEmitter } from './typed-emitter.js';
export { sleep } from './worker/sleep.js';
export { assertValid, validationIssues } from './validate.js';
export { ActiveJob, LOG_LINES_KEPT } from './worker/active-job.js';
export type { AttemptOutcome, Processor } from './worker/run-attempt.js';
export { Worker, type WorkerEvents } from './worker/worker.js';
