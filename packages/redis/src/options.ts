import type { Redis, RedisOptions } from 'ioredis';
import { RedisBackendOptionError } from './errors.js';

/** Options of {@link createRedisBackend}. Give exactly one of `url`, `options`, `client`. */
export interface RedisBackendOptions {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://…`. */
  url?: string;
  /** ioredis options (host, port, sentinels, tls, …); merged over the URL when both are given. */
  options?: RedisOptions;
  /**
   * A connected (or lazily connecting) ioredis client you own: the backend runs its
   * commands on it and never closes it. Blocking waits and event subscriptions use
   * `client.duplicate()` connections, which the backend does close.
   */
  client?: Redis;
  /** Prefix of every key. Default `mq`. */
  prefix?: string;
  /**
   * Longest single blocking wait (BZPOPMIN / XREAD BLOCK) in ms. Idle waits re-arm after
   * it, so it bounds the idle command rate (see the README). Default 30,000.
   */
  blockMs?: number;
  /**
   * Deadline of each command on the connection the backend opens, in ms: a socket that
   * holds every byte without closing fails commands with "Command timed out" instead of
   * hanging them forever. Blocking waits are bounded by `blockMs` instead. Not applied
   * to a `client` you pass (it keeps its own `commandTimeout`). Default 10,000.
   */
  commandTimeoutMs?: number;
  /** Where connection errors go (reconnects are automatic). Default: a throttled `console.warn`. */
  onError?: (err: Error) => void;
}

/** Options with every default filled in. */
export interface ResolvedRedisOptions {
  url: string | undefined;
  options: RedisOptions;
  client: Redis | undefined;
  prefix: string;
  blockMs: number;
  commandTimeoutMs: number;
  onError: (err: Error) => void;
}

/** Default of {@link RedisBackendOptions.prefix}. */
export const DEFAULT_PREFIX = 'mq';
/** Default of {@link RedisBackendOptions.blockMs}. */
export const DEFAULT_BLOCK_MS = 30_000;
/** Default of {@link RedisBackendOptions.commandTimeoutMs}. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

/** Validates `options` and fills in defaults; throws {@link RedisBackendOptionError}. */
export function resolveOptions(options: RedisBackendOptions = {}): ResolvedRedisOptions {
  if (
    options.client !== undefined &&
    (options.url !== undefined || options.options !== undefined)
  ) {
    throw new RedisBackendOptionError(
      'client',
      'pass either `client` or `url`/`options`, not both (a given client keeps its own options)',
    );
  }
  if (options.url !== undefined && !/^rediss?:\/\//.test(options.url)) {
    throw new RedisBackendOptionError(
      'url',
      `expected redis:// or rediss://, got "${options.url}"`,
    );
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix.length === 0 || /[{}]/.test(prefix)) {
    throw new RedisBackendOptionError(
      'prefix',
      'expected a non-empty string without { or } (braces are reserved for the queue hash tag)',
    );
  }
  const blockMs = options.blockMs ?? DEFAULT_BLOCK_MS;
  if (!Number.isInteger(blockMs) || blockMs < 100 || blockMs > 3_600_000) {
    throw new RedisBackendOptionError(
      'blockMs',
      `expected an integer in 100..3600000, got ${String(blockMs)}`,
    );
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (
    !Number.isInteger(commandTimeoutMs) ||
    commandTimeoutMs < 1 ||
    commandTimeoutMs > 2 ** 31 - 1
  ) {
    throw new RedisBackendOptionError(
      'commandTimeoutMs',
      `expected an integer in 1..2147483647, got ${String(commandTimeoutMs)}`,
    );
  }
  return {
    url: options.url,
    options: options.options ?? {},
    client: options.client,
    prefix,
    blockMs,
    commandTimeoutMs,
    onError: options.onError ?? throttledWarn(),
  };
}

/** A console.warn that reports at most one error per 10 s: reconnect loops repeat a lot. */
function throttledWarn(): (err: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < 10_000) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} similar errors suppressed)` : '';
    console.warn(`[@mq/redis] ${err.message}${more}; reconnecting automatically.`);
    last = now;
    suppressed = 0;
  };
}
