import { takeUrlParams } from '@mq/core/backend-kit';
import { createMongoBackend, type MongoBackend } from './backend.js';
import type { MongoBackendOptions } from './options.js';

/**
 * The backend for `mongodb://` and `mongodb+srv://` URLs (what `backendFromUrl` calls).
 * The database is the URL's path (default `mq`), `?prefix=` sets the collection prefix
 * (default `mq`); the other parameters go to the driver. `options` win over the URL.
 */
export function fromUrl(url: string, options: Omit<MongoBackendOptions, 'url'> = {}): MongoBackend {
  const { url: rest, params } = takeUrlParams(url, ['prefix']);
  return createMongoBackend({
    url: rest,
    ...(params.prefix !== undefined ? { prefix: params.prefix } : {}),
    ...options,
  });
}
