import { randomBytes } from 'node:crypto';
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

// The shorthands every backend's tests share, under the names these tests use.
export {
  addTasks as addAll,
  completeLease as complete,
  leaseJobs as lease,
  leaseOneJob as leaseOne,
  reserveAllInOrder as drainOrder,
  settlesWithin,
  taskJob as job,
} from '@mq/conformance';

/** Sleeps `ms` (short intervals only). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
