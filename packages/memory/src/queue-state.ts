import type { JobState } from '@mq/core';
import { DedupKeys } from './dedup-keys.js';
import { IndexedHeap } from './heap.js';
import { LinkedJobList } from './job-list.js';
import { delayedBefore, type StoredJob, waitingBefore } from './stored-job.js';

/** A queue-global rate limit: at most `max` grants per fixed window of `duration` ms. */
export interface RateLimit {
  max: number;
  duration: number;
}

/**
 * Everything the backend holds for one queue. Each job sits in exactly one structure,
 * chosen by its state: a heap for waiting (reservation order) and delayed (runAt), a
 * list in grant order for active, and a finish-ordered list each for completed and
 * failed. Counts are the structures' sizes, so they are exact and O(1). Active jobs are
 * few (bounded by the workers' concurrency), so stalled recovery scans just that list
 * and lease renewals cost nothing to re-order.
 */
export class QueueState {
  readonly jobs = new Map<string, StoredJob>();
  readonly waiting = new IndexedHeap<StoredJob>(waitingBefore);
  readonly delayed = new IndexedHeap<StoredJob>(delayedBefore);
  readonly active = new LinkedJobList<StoredJob>();
  readonly completed = new LinkedJobList<StoredJob>();
  readonly failed = new LinkedJobList<StoredJob>();
  readonly dedup = new DedupKeys(this.jobs);
  paused = false;
  rate: RateLimit | undefined = undefined;
  concurrency: number | undefined = undefined;
  /** Start of the current rate window (ms epoch) and grants made in it. */
  windowStart = 0;
  windowGrants = 0;
  private nextSeq = 0;

  constructor(readonly name: string) {}

  /** The next add-order sequence number. */
  seq(): number {
    return this.nextSeq++;
  }

  count(state: JobState): number {
    switch (state) {
      case 'waiting':
        return this.waiting.size;
      case 'delayed':
        return this.delayed.size;
      case 'active':
        return this.active.size;
      case 'completed':
        return this.completed.size;
      case 'failed':
        return this.failed.size;
    }
  }

  /** Sets `job.state` and files the job in that state's structure. */
  place(job: StoredJob, state: JobState): void {
    job.state = state;
    switch (state) {
      case 'waiting':
        this.waiting.push(job);
        break;
      case 'delayed':
        this.delayed.push(job);
        break;
      case 'active':
        this.active.append(job);
        break;
      case 'completed':
        this.completed.append(job);
        break;
      case 'failed':
        this.failed.append(job);
        break;
    }
  }

  /** Takes `job` out of its state's structure (its state field is left as is). */
  detach(job: StoredJob): void {
    switch (job.state) {
      case 'waiting':
        this.waiting.remove(job);
        break;
      case 'delayed':
        this.delayed.remove(job);
        break;
      case 'active':
        this.active.unlink(job);
        break;
      case 'completed':
        this.completed.unlink(job);
        break;
      case 'failed':
        this.failed.unlink(job);
        break;
    }
  }

  /**
   * Deletes `job` and its logs (they live on it). Its dedup key goes too: always when an
   * operator removes the job (`force`), else only a ttl-less one.
   */
  deleteJob(job: StoredJob, force: boolean): void {
    this.detach(job);
    this.jobs.delete(job.id);
    this.dedup.release(job, force);
  }

  /** True when `listQueues` should show the queue. */
  hasData(): boolean {
    return this.jobs.size > 0 || this.paused;
  }
}
