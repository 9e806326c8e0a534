import pg from 'pg';
import type { ClientConfig } from 'pg';
import { quoteIdent } from './sql/ident.js';

/** What the listener reports. */
export interface ListenerHandlers {
  /** A NOTIFY on one of the channels. */
  notify(channel: string, payload: string): void;
  /** LISTEN is (again) in place: notifications may have been missed while it was down. */
  up(): void;
  /** The connection dropped; reconnecting. */
  down(): void;
}

/** Reconnect delays, in ms. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/**
 * One dedicated connection that LISTENs on the backend's channels and reconnects by
 * itself with exponential backoff when the server drops it (restart, failover,
 * `pg_terminate_backend`). It is not a pool client, so a busy pool cannot starve it.
 */
export class Listener {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private closed = false;
  private started: Promise<void> | undefined;

  private readonly channels: Set<string>;

  constructor(
    private readonly config: ClientConfig,
    channels: readonly string[],
    private readonly backoff: Backoff,
    private readonly handlers: ListenerHandlers,
  ) {
    this.channels = new Set(channels);
  }

  /**
   * Adds a channel: LISTENs now when connected (resolving once it is in place), and on
   * every reconnect. Channels are added on demand: every NOTIFY in the database wakes
   * each listening connection, and one nobody here reads is pure cost.
   */
  async listen(channel: string): Promise<void> {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    const client = this.client;
    if (!client) return; // the next (re)connect LISTENs on it
    try {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch {
      // The connection is going down: the reconnect LISTENs on every channel.
    }
  }

  /** True while LISTEN is in place. */
  get isUp(): boolean {
    return this.client !== undefined;
  }

  /**
   * Starts listening; resolves after the first attempt (successful or not — a failed
   * one keeps retrying in the background). Idempotent.
   */
  start(): Promise<void> {
    this.started ??= this.connect();
    return this.started;
  }

  /** The backend pid of the LISTEN connection (tests terminate it). */
  get pid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  /** Stops listening and stops reconnecting. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ ...this.config, keepAlive: true });
    const drop = () => this.dropped(client);
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (m) => {
      if (this.client === client) this.handlers.notify(m.channel, m.payload ?? '');
    });
    try {
      await client.connect();
      await client.query([...this.channels].map((c) => `LISTEN ${quoteIdent(c)}`).join('; '));
    } catch {
      client.removeAllListeners('end');
      client.end().catch(() => {});
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.handlers.up();
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    this.handlers.down();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer !== undefined) return;
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, delay);
  }
}
