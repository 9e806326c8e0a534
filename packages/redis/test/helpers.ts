import { randomBytes } from 'node:crypto';
import { addRaw, rawJob, reserve, reserveAllInOrder } from '@mq/conformance';
import type { Backend, NewJob, ReservedJob } from '@mq/core';
import { resolveService } from '@mq/test-services';
import { Redis } from 'ioredis';
import { createRedisBackend, type RedisBackend, type RedisBackendOptions } from '../src/index.js';

/** The Redis server under test (or the reason the suites skip). */
export const svc = await resolveService('redis');

/** A key prefix no other test run uses. */
export function uniquePrefix(label = 't'): string {
  return `mqtest:${label}:${randomBytes(5).toString('hex')}`;
}

const opened: RedisBackend[] = [];

/** A backend on the test server; closed by {@link closeAll}. */
export function backend(prefix: string, over: RedisBackendOptions = {}): RedisBackend {
  const b = createRedisBackend({ url: svc.url, prefix, ...over });
  opened.push(b);
  return b;
}

/** Closes every backend opened here and deletes the keys under `prefix`. */
export async function closeAll(prefix: string): Promise<void> {
  await Promise.all(opened.splice(0).map((b) => b.close()));
  await deleteKeys(prefix);
}

/** Deletes every key under `prefix` (test cleanup). */
export async function deleteKeys(prefix: string): Promise<void> {
  if (svc.url === undefined) return;
  const r = new Redis(svc.url);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await r.unlink(...keys);
  } while (cursor !== '0');
  r.disconnect();
}

/** A serialized job as core would hand it over; retention off unless overridden. */
export function job(over: Partial<NewJob> = {}): NewJob {
  return rawJob({ name: 'task', ...over });
}

/** Adds jobs that must all be `added`; returns their ids. */
export function addAll(b: Backend, queue: string, jobs: Partial<NewJob>[]): Promise<string[]> {
  return addRaw(b, queue, jobs.map(job));
}

/** Leases up to `max` jobs (default 1). */
export function lease(
  b: Backend,
  queue: string,
  max = 1,
  leaseMs = 30_000,
  workerId = 'w1',
): Promise<ReservedJob[]> {
  return reserve(b, queue, { max, leaseMs, workerId });
}

/** Leases one job, failing the test when none is granted. */
export async function leaseOne(
  b: RedisBackend,
  queue: string,
  leaseMs = 30_000,
): Promise<ReservedJob> {
  const [r] = await lease(b, queue, 1, leaseMs);
  if (r === undefined) throw new Error(`expected a job in ${queue}`);
  return r;
}

/** Ids granted one at a time until nothing is reservable. */
export const drainOrder: (b: Backend, queue: string) => Promise<string[]> = reserveAllInOrder;

/** Completes a lease; returns its settle result. */
export async function complete(b: RedisBackend, queue: string, r: ReservedJob, result = '1') {
  const { results } = await b.jobs.settle(queue, [
    { kind: 'completed', jobId: r.job.id, token: r.token, result },
  ]);
  return results[0];
}

/** Resolves true if `p` settles within `ms`, false otherwise. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const won = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return won;
}

/** Sleeps `ms` (short intervals only). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
