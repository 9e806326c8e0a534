import { takeUrlParams } from '@mq/core/backend-kit';
import { createPostgresBackend, type PostgresBackend } from './backend.js';
import type { PostgresBackendOptions } from './options.js';

/**
 * The backend for `postgres://` and `postgresql://` URLs (what `backendFromUrl` calls).
 * `?schema=` sets the schema (default `mq`) and `?migrate=true` migrates on `ready()`;
 * the rest of the URL is the connection string. `options` are passed to
 * `createPostgresBackend` and win over the URL.
 */
export function fromUrl(url: string, options: PostgresBackendOptions = {}): PostgresBackend {
  const { url: connectionString, params } = takeUrlParams(url, ['schema', 'migrate']);
  return createPostgresBackend({
    connectionString,
    ...(params.schema !== undefined ? { schema: params.schema } : {}),
    ...(params.migrate !== undefined ? { migrate: params.migrate === 'true' } : {}),
    ...options,
  });
}
