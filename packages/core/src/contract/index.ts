export type { Backend, BackendCapabilities } from './backend.js';
export type { LockStore } from './coordination.js';
export type { EventBus, QueueEvent, QueueEventInput, QueueEventType } from './event-bus.js';
export {
  type BackoffSpec,
  JOB_STATES,
  type JobErrorInfo,
  type JobRecord,
  type JobState,
  type KeepPolicy,
  type StoredJobOptions,
} from './job-record.js';
export type {
  AddResult,
  DedupSpec,
  ExtendResult,
  JobStore,
  LeaseRef,
  NewJob,
  RecoverRequest,
  RecoverResult,
  ReservedJob,
  ReserveRequest,
  ReserveResult,
  SettleResult,
  Settlement,
  WaitRequest,
} from './job-store.js';
export type {
  CancelResult,
  CleanRequest,
  JobCounts,
  ListRequest,
  ObliterateResult,
  PromoteSelector,
  QueueAdmin,
  RetentionRequest,
  RetentionResult,
  RetrySelector,
  UpdateDataResult,
} from './queue-admin.js';
export type {
  FireResult,
  FireTick,
  JobTemplate,
  RepeatSpec,
  ScheduleRecord,
  ScheduleStore,
} from './schedule-store.js';
export type { WorkerInfo, WorkerRegistry } from './worker-registry.js';
export {
  isStorableTime,
  MAX_STORED_COUNT,
  MAX_STORED_DURATION,
  MAX_STORED_TIME,
  RETRY_TIME_ERROR_NAME,
  storableCount,
  storableDuration,
  storableSettlement,
  storableSettlements,
} from './storable.js';
