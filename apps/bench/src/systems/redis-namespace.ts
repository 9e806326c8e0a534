import { Redis } from 'ioredis';

/** A short-lived ioredis client that gives up fast instead of retrying forever. */
export function adminRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 3000 });
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK, in pages). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = adminRedis(url);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The server's version (INFO server), or null when it does not answer. */
export async function redisVersion(url: string): Promise<string | null> {
  const redis = adminRedis(url);
  try {
    await redis.connect();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
