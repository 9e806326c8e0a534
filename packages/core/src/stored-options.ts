import type { StoredJobOptions } from './contract/index.js';

/** Distinct option texts kept parsed; the cache starts over when it is full. */
const CACHE_SIZE = 256;
const cache = new Map<string, StoredJobOptions>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses the JSON text of a job's stored options (for backends that store them as
 * text). The jobs of a queue share a handful of option sets, and parsing them was a
 * measurable part of reserving a job, so each distinct text is parsed once and the
 * result shared between jobs: frozen, since every job holding it sees the same object.
 */
export function parseStoredOptions(json: string): StoredJobOptions {
  let opts = cache.get(json);
  if (opts === undefined) {
    opts = deepFreeze(JSON.parse(json) as StoredJobOptions);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(json, opts);
  }
  return opts;
}
