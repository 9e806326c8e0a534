import { Redis, type RedisOptions } from 'ioredis';
import type { ResolvedRedisOptions } from './options.js';

/** Client-side slack over a blocking command's own timeout before ioredis gives up on it. */
const BLOCKING_GRACE_MS = 5_000;

/**
 * Options of every connection the backend opens for blocking commands: commands wait
 * out a reconnect instead of failing (a restart of redis-server must not kill a wait),
 * and a client-side guard ends a blocking command whose socket died silently. The guard
 * also applies, as is, to a command queued while offline, so it must exceed the longest
 * block: a shorter one would resolve the command locally while the server still runs it
 * (and pops a wake-up marker for nobody).
 */
function blockingOverrides(blockMs: number): Partial<RedisOptions> {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: true,
    blockingTimeout: blockMs + BLOCKING_GRACE_MS,
    blockingTimeoutGrace: BLOCKING_GRACE_MS,
    // Blocking commands outlast any command deadline: `blockingTimeout` guards them.
    commandTimeout: undefined,
  };
}

/**
 * The backend's connections: one shared `main` connection for every non-blocking
 * command (ioredis pipelines concurrent commands on it), plus dedicated connections
 * for blocking commands, which would otherwise stall everything queued behind them.
 */
export class Connections {
  /** Runs every script and plain command. */
  readonly main: Redis;
  private readonly ownsMain: boolean;
  private readonly dedicated = new Set<Redis>();
  private closed = false;

  constructor(private readonly opts: ResolvedRedisOptions) {
    if (opts.client !== undefined) {
      this.main = opts.client;
      this.ownsMain = false;
    } else {
      const options: RedisOptions = {
        lazyConnect: true,
        commandTimeout: opts.commandTimeoutMs,
        ...opts.options,
      };
      this.main = opts.url !== undefined ? new Redis(opts.url, options) : new Redis(options);
      this.ownsMain = true;
      this.main.on('error', opts.onError);
    }
  }

  /** True once `close()` ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Connects the main connection (if it is lazy) and checks it answers. */
  async ready(): Promise<void> {
    if (this.main.status === 'wait') await this.main.connect();
    await this.main.ping();
  }

  /** A new connection for blocking commands; close it with {@link release}. */
  blocking(): Redis {
    const conn = this.main.duplicate({
      lazyConnect: true,
      ...blockingOverrides(this.opts.blockMs),
    });
    conn.on('error', this.opts.onError);
    this.dedicated.add(conn);
    return conn;
  }

  /** Closes a connection from {@link blocking} at once (a pending blocking command rejects). */
  release(conn: Redis): void {
    if (this.dedicated.delete(conn)) conn.disconnect();
  }

  /** Closes the dedicated connections and, if the backend opened it, the main one. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const conn of this.dedicated) conn.disconnect();
    this.dedicated.clear();
    if (!this.ownsMain) return;
    if (this.main.status === 'ready') {
      await this.main.quit().catch(() => this.main.disconnect());
    } else {
      this.main.disconnect();
    }
  }
}
