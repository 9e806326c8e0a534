import type { Backend, JobRecord } from '../contract/index.js';
import { Job } from '../job.js';
import type { EventBatcher } from './event-batcher.js';

/** Lines of `job.log` kept per job. */
export const LOG_LINES_KEPT = 1000;

/**
 * The job a processor receives: a snapshot plus the lease-fenced operations of a
 * running attempt.
 */
export class ActiveJob<D = unknown, R = unknown> extends Job<D, R> {
  /** The lease token of this attempt. */
  readonly token: string;

  constructor(
    record: JobRecord,
    token: string,
    private readonly backend: Backend,
    private readonly events: EventBatcher | null,
  ) {
    super(record);
    this.token = token;
  }

  /**
   * Stores progress (any JSON value) and publishes a `progress` event. Returns false
   * when this attempt no longer holds the job.
   */
  async updateProgress(progress: unknown): Promise<boolean> {
    const ok = await this.backend.admin.setProgress(
      this.queue,
      this.id,
      this.token,
      JSON.stringify(progress),
    );
    if (ok)
      this.events?.push({ type: 'progress', jobId: this.id, at: Date.now(), data: { progress } });
    return ok;
  }

  /** Appends a log line (the last 1,000 are kept). False when the lease is gone. */
  log(line: string): Promise<boolean> {
    return this.backend.admin.addLog(this.queue, this.id, this.token, line, LOG_LINES_KEPT);
  }
}
