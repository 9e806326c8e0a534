import type { AddResult, NewJob, StoredJobOptions } from '@mq/core';
import type { QueueState } from './queue-state.js';
import type { MemoryStore } from './store.js';
import { createStoredJob, freezeOpts } from './stored-job.js';

/**
 * `add` as docs/contract-semantics.md specifies it: jobId idempotency, then the dedup
 * modes, then the insert. Synchronous, so each job (and the whole batch) is atomic.
 */
export function addJobs(store: MemoryStore, queue: string, jobs: readonly NewJob[]): AddResult[] {
  const q = store.queue(queue);
  const now = store.now();
  const results: AddResult[] = new Array(jobs.length);
  const earliestDelayed = q.delayed.peek();
  const waitingBefore = q.waiting.size;
  const opts = new OptsCache();
  for (let i = 0; i < jobs.length; i++) results[i] = addOne(store, q, jobs[i] as NewJob, now, opts);
  // Wake parked workers when work appeared, or when a delayed job became the earliest
  // (their timers were set for a later one).
  if (q.waiting.size > waitingBefore || q.delayed.peek() !== earliestDelayed) store.wake(queue);
  return results;
}

function addOne(
  store: MemoryStore,
  q: QueueState,
  job: NewJob,
  now: number,
  opts: OptsCache,
): AddResult {
  if (job.id !== undefined && q.jobs.has(job.id)) return { status: 'duplicate', id: job.id };
  const spec = job.dedup;
  if (spec !== undefined) {
    const key = q.dedup.live(spec.id, now);
    if (key !== undefined) {
      const owner = q.jobs.get(key.owner);
      if (spec.replace === true && owner !== undefined && owner.state === 'delayed') {
        q.deleteJob(owner, true);
        const id = insert(store, q, job, now, opts);
        return { status: 'replaced', id, replacedId: owner.id };
      }
      if (spec.extend === true && spec.ttl !== undefined) key.expiresAt = now + spec.ttl;
      return { status: 'deduplicated', id: key.owner };
    }
  }
  return { status: 'added', id: insert(store, q, job, now, opts) };
}

function insert(
  store: MemoryStore,
  q: QueueState,
  job: NewJob,
  now: number,
  opts: OptsCache,
): string {
  let id = job.id;
  if (id === undefined) {
    // Core forbids all-digit custom ids; this guard keeps direct backend users safe too.
    do id = store.nextId(q.name);
    while (q.jobs.has(id));
  }
  const stored = createStoredJob(id, q.name, job, opts.frozen(job.opts), now, q.seq());
  q.jobs.set(id, stored);
  q.place(stored, stored.state);
  if (job.dedup !== undefined) q.dedup.set(job.dedup.id, id, job.dedup.ttl, now);
  return id;
}

/**
 * Jobs of one batch usually carry equal options (core resolves them from the same
 * defaults), often not the same object. A run of equal options shares one frozen copy:
 * no allocation per job, and less memory per queued job.
 */
class OptsCache {
  private source: StoredJobOptions | undefined;
  private copy: Readonly<StoredJobOptions> | undefined;

  frozen(opts: StoredJobOptions): Readonly<StoredJobOptions> {
    if (this.copy === undefined || this.source === undefined || !shallowEqual(opts, this.source)) {
      this.copy = freezeOpts(opts);
    }
    // Compare against the latest input: the frozen copy equals it.
    this.source = opts;
    return this.copy;
  }
}

/** Equal own enumerable fields, nested plain objects compared one level deep. */
function shallowEqual(a: object, b: object): boolean {
  if (a === b) return true;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let n = 0;
  for (const key in ra) {
    n++;
    const x = ra[key];
    const y = rb[key];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (!flatEqual(x as Record<string, unknown>, y as Record<string, unknown>)) return false;
  }
  for (const _ in rb) n--;
  return n === 0;
}

function flatEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let n = 0;
  for (const key in a) {
    n++;
    if (a[key] !== b[key]) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}
