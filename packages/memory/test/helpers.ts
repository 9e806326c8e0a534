import { addRaw, rawJob } from '@mq/conformance';
import type { Backend, NewJob, ReservedJob } from '@mq/core';
import { createMemoryBackend } from '../src/index.js';

/** A manual clock: tests move time instead of sleeping. */
export class TestClock {
  constructor(public t = 1_700_000_000_000) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A backend on a manual clock. */
export function clocked(eventHistory?: number): { backend: Backend; clock: TestClock } {
  const clock = new TestClock();
  return { backend: createMemoryBackend({ now: clock.now, eventHistory }), clock };
}

/** A serialized job as core would hand it over; retention off unless overridden. */
export function job(over: Partial<NewJob> = {}): NewJob {
  return rawJob({ name: 'task', ...over });
}

/** Adds jobs that must all be `added`; returns their ids. */
export function addAll(b: Backend, queue: string, jobs: Partial<NewJob>[]): Promise<string[]> {
  return addRaw(b, queue, jobs.map(job));
}

/** Leases up to `max` jobs (default 1) with a 30 s lease. */
export async function lease(
  b: Backend,
  queue: string,
  max = 1,
  leaseMs = 30_000,
): Promise<ReservedJob[]> {
  return (await b.jobs.reserve(queue, { workerId: 'w1', max, leaseMs })).jobs;
}

/** Leases one job, failing the test when none is granted. */
export async function leaseOne(b: Backend, queue: string, leaseMs = 30_000): Promise<ReservedJob> {
  const [r] = await lease(b, queue, 1, leaseMs);
  if (r === undefined) throw new Error(`expected a job in ${queue}`);
  return r;
}

/** Ids granted one at a time until the queue has nothing reservable. */
export async function drainOrder(b: Backend, queue: string): Promise<string[]> {
  const ids: string[] = [];
  for (let r = await lease(b, queue); r.length > 0; r = await lease(b, queue)) {
    ids.push(r[0]!.job.id);
  }
  return ids;
}

/** Completes a lease. */
export async function complete(b: Backend, queue: string, r: ReservedJob, result = '1') {
  const { results } = await b.jobs.settle(queue, [
    { kind: 'completed', jobId: r.job.id, token: r.token, result },
  ]);
  return results[0];
}

/** Fails a lease for good. */
export async function fail(b: Backend, queue: string, r: ReservedJob) {
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
  const done = p.then(() => true as const);
  const won = await Promise.race([done, timeout]);
  clearTimeout(timer);
  return won;
}
