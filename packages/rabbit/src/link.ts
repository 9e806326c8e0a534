import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { RabbitBackendClosedError, RabbitConnectionError, RabbitPublishError } from './errors.js';
import type { ResolvedRabbitOptions } from './options.js';
import type { QueueTopology } from './topology.js';

/** One delivery notice to publish. */
export interface Notice {
  jobId: string;
  /** Set for a delayed job: the consumer arms a timer and publishes again when due. */
  runAt?: number;
  priority: number;
}

/** The header that carries a delayed job's due time. */
export const RUN_AT_HEADER = 'x-mq-run-at';

/** Notices published per confirmed chunk. */
const PUBLISH_CHUNK = 100;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * The connection to RabbitMQ and its publishing channel (publisher confirms). Reconnects
 * by itself with exponential backoff and jitter; `onUp` listeners (the consumers) are
 * told after each (re)connect so they open their channels again. Declarations are cached
 * per connection and made on short-lived channels, so a refused declaration closes only
 * that channel.
 */
export class AmqpLink {
  /** The name the broker shows for this connection (`rabbitmqctl list_connections client_properties`). */
  readonly connectionName = `mq-rabbit-${randomBytes(6).toString('hex')}`;
  private model: ChannelModel | undefined;
  private pub: ConfirmChannel | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private failures = 0;
  private readonly upWaiters = new Set<() => void>();
  private readonly upListeners = new Set<() => void>();
  private declared = new Map<string, Promise<void>>();
  /** Connections made so far (1 after the first connect). */
  connects = 0;

  constructor(private readonly opts: ResolvedRabbitOptions) {}

  /** True while a connection and its publishing channel are open. */
  get isUp(): boolean {
    return this.pub !== undefined;
  }

  /** The open connection, if any. */
  get current(): ChannelModel | undefined {
    return this.model;
  }

  /** Connects once; rejects if the broker does not answer (the caller may try again). */
  async open(): Promise<void> {
    if (this.isUp) return;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Calls `listener` after every reconnect (not the first connect). Returns an unsubscribe. */
  onUp(listener: () => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  private async connect(): Promise<void> {
    if (this.closed) throw new RabbitBackendClosedError();
    const model = await amqp.connect(this.opts.url, {
      // Notices and acks are tiny frames: Nagle's algorithm would hold each one back.
      noDelay: true,
      clientProperties: { connection_name: this.connectionName },
    });
    if (this.closed) {
      await model.close().catch(() => undefined);
      throw new RabbitBackendClosedError();
    }
    model.on('error', (err: Error) =>
      this.opts.onError(new RabbitConnectionError(err.message, { cause: err })),
    );
    model.on('close', () => this.lost(model));
    let pub: ConfirmChannel;
    try {
      pub = await model.createConfirmChannel();
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
    pub.on('error', () => undefined);
    // A closed publishing channel means a protocol error: start over with a new connection.
    pub.on('close', () => {
      if (this.model === model) model.close().catch(() => undefined);
    });
    pub.on('return', (msg: { fields: { routingKey: string } }) => {
      this.declared.delete(msg.fields.routingKey);
      this.opts.onError(
        new RabbitPublishError(msg.fields.routingKey, 'the broker returned it as unroutable'),
      );
    });
    this.model = model;
    this.pub = pub;
    this.declared = new Map();
    this.failures = 0;
    this.connects++;
    for (const wake of this.upWaiters) wake();
    this.upWaiters.clear();
    if (this.connects > 1) for (const l of this.upListeners) l();
  }

  private lost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = undefined;
    this.pub = undefined;
    this.declared = new Map();
    if (!this.closed) void this.reconnectLoop();
  }

  private async reconnectLoop(): Promise<void> {
    while (!this.closed && !this.isUp) {
      const base = Math.min(
        this.opts.reconnectMaxMs,
        this.opts.reconnectMinMs * 2 ** Math.min(this.failures, 20),
      );
      await sleep(base * (0.5 + Math.random() / 2));
      if (this.closed || this.isUp) return;
      try {
        await this.open();
      } catch (err) {
        this.failures++;
        this.opts.onError(new RabbitConnectionError(`reconnect failed: ${String(err)}`));
      }
    }
  }

  /** The publishing channel, waiting up to `publishTimeoutMs` for a connection. */
  private async publisher(): Promise<ConfirmChannel> {
    if (this.pub) return this.pub;
    if (this.closed) throw new RabbitBackendClosedError();
    if (this.failures === 0 && this.connects === 0) await this.open();
    if (this.pub) return this.pub;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.upWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.opts.publishTimeoutMs);
      this.upWaiters.add(done);
    });
    if (!this.pub) throw new RabbitConnectionError('no connection to publish on');
    return this.pub;
  }

  /**
   * Runs `fn` on a short-lived channel of the current connection, failing after
   * `publishTimeoutMs` (at least 1 s) rather than hanging on a broker that stopped answering.
   */
  async withChannel<T>(fn: (ch: Channel) => Promise<T>): Promise<T> {
    const model = this.model;
    if (!model) throw new RabbitConnectionError('not connected');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RabbitConnectionError('the broker did not answer in time')),
        Math.max(1000, this.opts.publishTimeoutMs),
      );
    });
    let ch: Channel | undefined;
    try {
      return await Promise.race([
        (async () => {
          ch = await model.createChannel();
          ch.on('error', () => undefined);
          return fn(ch);
        })(),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
      await ch?.close().catch(() => undefined);
    }
  }

  /** Declares a queue and its dead-letter queue once per connection (idempotent). */
  declare(t: QueueTopology): Promise<void> {
    let p = this.declared.get(t.main);
    if (!p) {
      const declared = this.declared;
      p = this.withChannel(async (ch) => {
        await ch.assertQueue(t.dead, t.deadArgs);
        await ch.assertQueue(t.main, t.mainArgs);
      });
      p.catch(() => {
        if (declared.get(t.main) === p) declared.delete(t.main);
      });
      declared.set(t.main, p);
    }
    return p;
  }

  /** Forgets a declaration (after the queue was deleted). */
  forget(t: QueueTopology): void {
    this.declared.delete(t.main);
  }

  /**
   * Publishes notices (persistent, mandatory) and waits for the broker's confirms.
   *
   * @throws RabbitPublishError when the broker is unreachable or refuses a notice.
   */
  async publish(t: QueueTopology, notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    let ch: ConfirmChannel;
    try {
      ch = await this.publisher();
      await this.declare(t);
    } catch (cause) {
      throw new RabbitPublishError(t.main, String(cause), { cause });
    }
    // One chunk at a time, each confirmed before the next: encoding a large batch in one
    // go would hold the event loop, and a long list of unconfirmed publishes makes the
    // driver's confirm bookkeeping expensive.
    for (let start = 0; start < notices.length; start += PUBLISH_CHUNK) {
      const chunk = notices.slice(start, start + PUBLISH_CHUNK);
      try {
        await Promise.all(chunk.map((n) => this.publishOne(ch, t, n)));
      } catch (cause) {
        throw new RabbitPublishError(t.main, `not confirmed (${String(cause)})`, { cause });
      }
    }
  }

  private publishOne(ch: ConfirmChannel, t: QueueTopology, n: Notice): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        ch.publish(
          '',
          t.main,
          Buffer.from(n.jobId),
          {
            persistent: true,
            mandatory: true,
            messageId: n.jobId,
            contentType: 'text/plain',
            ...(t.kind === 'classic' ? { priority: n.priority } : {}),
            ...(n.runAt === undefined ? {} : { headers: { [RUN_AT_HEADER]: n.runAt } }),
          },
          (err: unknown) => (err ? reject(err) : resolve()),
        );
      } catch (err) {
        reject(err);
      }
    });
  }

  /** Closes the connection for good. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.upWaiters) wake();
    this.upWaiters.clear();
    await this.connecting?.catch(() => undefined);
    const model = this.model;
    this.model = undefined;
    this.pub = undefined;
    await model?.close().catch(() => undefined);
  }
}
