import { Queue, Worker } from 'bullmq';
import { packageVersion } from '../harness/versions.js';
import { REDIS_URL } from '../services.js';
import { type BullParts, BullSystem } from './bullmq.js';
import { deleteKeysWithPrefix, redisVersion } from './redis-namespace.js';
import type { SystemFactory } from './system.js';

/** ioredis connection options BullMQ accepts, from a redis:// URL. */
export function redisConnection(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
} {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined ? { db } : {}),
  };
}

/** BullMQ on Redis, with a fresh key prefix per run. */
export function bullmqRedis(url = REDIS_URL): SystemFactory {
  const connection = redisConnection(url);
  return {
    id: 'bullmq',
    label: `bullmq ${packageVersion('bullmq')}`,
    ours: false,
    notes:
      'bullmq (redis): `new Queue(name, { connection, prefix })`, `new Worker(name, fn, ' +
      '{ connection, prefix, concurrency: c })` with default options otherwise (events ' +
      'stream on, completed jobs kept, stalled checks on); one Queue and one Worker, each ' +
      'with its own connections as BullMQ creates them.',
    check: async () =>
      (await redisVersion(url)) === null ? `redis at ${url} does not answer` : null,
    create: (runId) => {
      const prefix = `bench:bull:${runId}`;
      const parts: BullParts = {
        queue: (name) => new Queue(name, { connection, prefix }),
        worker: (name, processor, concurrency) =>
          new Worker(name, processor, { connection, prefix, concurrency, autorun: false }),
        cleanup: () => deleteKeysWithPrefix(url, prefix),
      };
      return new BullSystem(parts, runId);
    },
  };
}
