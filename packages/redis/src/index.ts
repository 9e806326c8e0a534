/**
 * Redis backend for @mq: ioredis + Lua. Every transition is one atomic script; idle
 * workers block on a wake-up marker instead of polling. See the README for the key
 * layout, required Redis settings and the idle command rate.
 */
export { fromUrl } from './from-url.js';
export { createRedisBackend, REDIS_CAPABILITIES, type RedisBackend } from './backend.js';
export { RedisBackendClosedError, RedisBackendOptionError, RedisReplyError } from './errors.js';
export { DEFAULT_BLOCK_MS, DEFAULT_PREFIX, type RedisBackendOptions } from './options.js';
