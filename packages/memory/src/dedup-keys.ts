import type { StoredJob } from './stored-job.js';

/** One deduplication key: its owner and, for throttle/extend keys, when it expires. */
export interface DedupKey {
  owner: string;
  /** ms epoch; undefined for a simple key (live while its owner is unfinished). */
  expiresAt: number | undefined;
}

/** How often dead keys are swept: never before the map holds this many. */
const MIN_SWEEP_SIZE = 1024;

/**
 * The deduplication keys of one queue. A ttl-less key is deleted as soon as its owner
 * finishes or goes away, so the only dead keys that can pile up are expired ttl keys
 * nobody asks about again; an amortized sweep (when the map doubled since the last one)
 * drops them without a timer.
 */
export class DedupKeys {
  private readonly keys = new Map<string, DedupKey>();
  private sweepAt = MIN_SWEEP_SIZE;

  constructor(private readonly jobs: ReadonlyMap<string, StoredJob>) {}

  get size(): number {
    return this.keys.size;
  }

  /** The key if it is live at `now` (see `add` in docs/contract-semantics.md). */
  live(id: string, now: number): DedupKey | undefined {
    const key = this.keys.get(id);
    return key !== undefined && this.isLive(key, now) ? key : undefined;
  }

  set(id: string, owner: string, ttl: number | undefined, now: number): void {
    this.keys.set(id, { owner, expiresAt: ttl === undefined ? undefined : now + ttl });
    if (this.keys.size >= this.sweepAt) this.sweep(now);
  }

  delete(id: string): boolean {
    return this.keys.delete(id);
  }

  /**
   * Drops the key `job` owns when the job finished or was deleted: always when `force`
   * (an operator removed the job), else only a ttl-less key (a ttl key throttles on).
   */
  release(job: StoredJob, force: boolean): void {
    const id = job.dedupId;
    if (id === undefined) return;
    const key = this.keys.get(id);
    if (key !== undefined && key.owner === job.id && (force || key.expiresAt === undefined)) {
      this.keys.delete(id);
    }
  }

  clear(): void {
    this.keys.clear();
    this.sweepAt = MIN_SWEEP_SIZE;
  }

  private isLive(key: DedupKey, now: number): boolean {
    if (key.expiresAt !== undefined) return key.expiresAt > now;
    const owner = this.jobs.get(key.owner);
    return (
      owner !== undefined &&
      (owner.state === 'waiting' || owner.state === 'delayed' || owner.state === 'active')
    );
  }

  private sweep(now: number): void {
    for (const [id, key] of this.keys) if (!this.isLive(key, now)) this.keys.delete(id);
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, this.keys.size * 2);
  }
}
