/**
 * In-process backend for @mq: the reference implementation of the backend contract and
 * the embedded default for development, tests and demos. Not durable.
 */
export { createMemoryBackend } from './backend.js';
export { MEMORY_CAPABILITIES } from './capabilities.js';
export { MemoryBackendOptionError } from './errors.js';
export { DEFAULT_EVENT_HISTORY, type MemoryBackendOptions } from './options.js';
export { fromUrl } from './from-url.js';
