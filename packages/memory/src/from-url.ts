import type { Backend } from '@mq/core';
import { createMemoryBackend } from './backend.js';
import { MemoryBackendOptionError } from './errors.js';
import type { MemoryBackendOptions } from './options.js';

/**
 * The backend for `memory:` (what `backendFromUrl` calls). `memory:?eventHistory=500`
 * sets the number of events kept; `options` are passed to `createMemoryBackend` and win.
 * Every call is a new, empty store.
 */
export function fromUrl(url: string, options: MemoryBackendOptions = {}): Backend {
  const parsed = new URL(url);
  if (parsed.protocol !== 'memory:')
    throw new MemoryBackendOptionError('url', `expected a memory: URL, got ${parsed.protocol}`);
  const history = parsed.searchParams.get('eventHistory');
  return createMemoryBackend({
    ...(history !== null ? { eventHistory: Number(history) } : {}),
    ...options,
  });
}
