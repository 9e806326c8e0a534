import type { Backend, NewJob, ReservedJob } from '@mq/core';

/**
 * A serialized job as core would hand it to `backend.jobs.add`: payload `null`, priority
 * 0, one attempt, and retention off so tests can inspect finished jobs.
 */
export function rawJob(over: Partial<NewJob> = {}): NewJob {
  return {
    name: 'raw',
    payload: 'null',
    priority: 0,
    lifo: false,
    delay: 0,
    opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
    ...over,
  };
}

/** Adds jobs through the contract and returns their ids; every one must be `added`. */
export async function addRaw(
  backend: Backend,
  queue: string,
  jobs: Partial<NewJob>[],
): Promise<string[]> {
  const results = await backend.jobs.add(queue, jobs.map(rawJob));
  return results.map((r, i) => {
    if (r.status !== 'added') {
      throw new Error(`expected job ${i} to be added, got ${JSON.stringify(r)}`);
    }
    return r.id;
  });
}

/** Options of {@link reserve}. */
export interface ReserveOptions {
  max?: number;
  leaseMs?: number;
  workerId?: string;
}

/** Leases up to `max` (default 1) jobs through the contract, as worker `conf-worker`. */
export async function reserve(
  backend: Backend,
  queue: string,
  opts: ReserveOptions = {},
): Promise<ReservedJob[]> {
  const r = await backend.jobs.reserve(queue, {
    workerId: opts.workerId ?? 'conf-worker',
    max: opts.max ?? 1,
    leaseMs: opts.leaseMs ?? 60_000,
  });
  return r.jobs;
}

/** Leases exactly one job; throws when none was granted. */
export async function reserveOne(
  backend: Backend,
  queue: string,
  opts: Omit<ReserveOptions, 'max'> = {},
): Promise<ReservedJob> {
  const [job] = await reserve(backend, queue, { ...opts, max: 1 });
  if (!job) throw new Error(`expected a job to reserve in queue ${queue}, got none`);
  return job;
}

/** Reserves one job at a time until none is left and returns their ids in grant order. */
export async function reserveAllInOrder(backend: Backend, queue: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const [job] = await reserve(backend, queue);
    if (!job) return ids;
    ids.push(job.job.id);
  }
}
