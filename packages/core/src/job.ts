import type { JobErrorInfo, JobRecord, JobState, StoredJobOptions } from './contract/index.js';

/**
 * A snapshot of a job. Read-only: fetch it again (`queue.getJob`) for fresh state.
 * `data` is parsed from the stored JSON on first access.
 */
export class Job<D = unknown, R = unknown> {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly state: JobState;
  readonly priority: number;
  readonly opts: StoredJobOptions;
  readonly attemptsMade: number;
  readonly attemptsStarted: number;
  readonly stalls: number;
  readonly dedupId: string | undefined;
  readonly error: JobErrorInfo | undefined;
  readonly createdAt: number;
  readonly runAt: number;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly workerId: string | undefined;
  /** The stored record, for tools that need every field. */
  readonly record: Readonly<JobRecord>;
  private parsed: { data?: D } = {};

  constructor(record: JobRecord) {
    this.record = record;
    this.id = record.id;
    this.queue = record.queue;
    this.name = record.name;
    this.state = record.state;
    this.priority = record.priority;
    this.opts = record.opts;
    this.attemptsMade = record.attemptsMade;
    this.attemptsStarted = record.attemptsStarted;
    this.stalls = record.stalls;
    this.dedupId = record.dedupId;
    this.error = record.error;
    this.createdAt = record.createdAt;
    this.runAt = record.runAt;
    this.startedAt = record.startedAt;
    this.finishedAt = record.finishedAt;
    this.workerId = record.workerId;
  }

  /** The payload. */
  get data(): D {
    // Lazy: many processors (and every admin listing) never read the payload.
    if (!('data' in this.parsed)) this.parsed.data = JSON.parse(this.record.payload) as D;
    return this.parsed.data as D;
  }

  /** The processor's result (completed jobs). */
  get returnValue(): R | undefined {
    return this.record.result === undefined ? undefined : (JSON.parse(this.record.result) as R);
  }

  /** The last progress reported. */
  get progress(): unknown {
    return this.record.progress === undefined ? undefined : JSON.parse(this.record.progress);
  }

  /** The last failure's message, if any. */
  get failedReason(): string | undefined {
    return this.error?.message;
  }
}
