import { takeUrlParams } from '@mq/core/backend-kit';
import { createRedisBackend, type RedisBackend } from './backend.js';
import type { RedisBackendOptions } from './options.js';

/**
 * The backend for `redis://` and `rediss://` URLs (what `backendFromUrl` calls).
 * `?prefix=` sets the key prefix; the rest of the URL goes to ioredis. `options` are
 * passed to `createRedisBackend` and win over the URL.
 */
export function fromUrl(url: string, options: RedisBackendOptions = {}): RedisBackend {
  const { url: rest, params } = takeUrlParams(url, ['prefix']);
  return createRedisBackend({ url: rest, ...params, ...options });
}
