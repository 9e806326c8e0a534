import type { Backend, NewJob, ReservedJob, SettleResult } from '@mq/core';
import { addRaw, rawJob, reserve, reserveOne } from './raw-jobs.js';

/**
 * Helpers for a backend package's own tests (beyond the suite): the job, lease and
 * settle shorthands every backend's tests use, defined once.
 */

/** A serialized job named `task` as core would hand it over; retention off unless overridden. */
export function taskJob(over: Partial<NewJob> = {}): NewJob {
  return rawJob({ name: 'task', ...over });
}

/** Adds {@link taskJob}s that must all be `added`; returns their ids. */
export function addTasks(b: Backend, queue: string, jobs: Partial<NewJob>[]): Promise<string[]> {
  return addRaw(b, queue, jobs.map(taskJob));
}

/** Leases up to `max` jobs (default 1) for `leaseMs` (default 30 s) as `workerId` (default `w1`). */
export function leaseJobs(
  b: Backend,
  queue: string,
  max = 1,
  leaseMs = 30_000,
  workerId = 'w1',
): Promise<ReservedJob[]> {
  return reserve(b, queue, { max, leaseMs, workerId });
}

/** Leases one job as `w1`; throws when none is granted. */
export function leaseOneJob(b: Backend, queue: string, leaseMs = 30_000): Promise<ReservedJob> {
  return reserveOne(b, queue, { leaseMs, workerId: 'w1' });
}

/** Completes a lease (result `'1'` by default); returns its settle result. */
export async function completeLease(
  b: Backend,
  queue: string,
  r: ReservedJob,
  result = '1',
): Promise<SettleResult | undefined> {
  const { results } = await b.jobs.settle(queue, [
    { kind: 'completed', jobId: r.job.id, token: r.token, result },
  ]);
  return results[0];
}

/** Fails a lease for good; returns its settle result. */
export async function failLease(
  b: Backend,
  queue: string,
  r: ReservedJob,
): Promise<SettleResult | undefined> {
  const { results } = await b.jobs.settle(queue, [
    { kind: 'failed', jobId: r.job.id, token: r.token, error: { name: 'Error', message: 'boom' } },
  ]);
  return results[0];
}

/** Resolves true if `p` settles within `ms` of real time, false otherwise. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const won = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return won;
}
