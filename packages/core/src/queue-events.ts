import type { Backend, QueueEvent, QueueEventType } from './contract/index.js';
import { assertBackend } from './options/backend-check.js';
import { QueueNameSchema } from './options/queue-options.js';
import { TypedEmitter } from './typed-emitter.js';
import { assertValid } from './validate.js';

/** Listeners of `QueueEvents`: one per event type, plus `event` for all of them. */
export type QueueEventListeners = { [K in QueueEventType]: (event: QueueEvent) => void } & {
  event: (event: QueueEvent) => void;
  error: (err: unknown) => void;
};

/** Options of `new QueueEvents(queue, options)`. */
export interface QueueEventsOptions {
  /** Default: the backend of the `Queue` passed as `queue`; required with a queue name. */
  backend?: Backend;
  /** Replay from after this event id, where the bus keeps history. Default: new events only. */
  fromId?: string;
  /** Subscribe in the constructor, as a Worker starts. Default true; else call `start()`. */
  autorun?: boolean;
}

/**
 * Subscribes to a queue's events as published by every Queue and Worker — across
 * processes where the backend declares `distributedEvents`, else within this process.
 *
 * Like a Worker it starts in the constructor (unless `autorun: false`); a failure to
 * subscribe then reaches the `error` listener. Events published before the subscription
 * is live are not delivered: `await events.start()` (idempotent) to know it is.
 */
export class QueueEvents extends TypedEmitter<QueueEventListeners> {
  /** The queue's name. */
  readonly queue: string;
  private readonly backend: Backend;
  private unsubscribe: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  private closed = false;

  /** `queue` is a queue name or a `Queue` (whose backend is used unless `options.backend`). */
  constructor(
    queue: string | { readonly name: string; readonly backend: Backend },
    private readonly options: QueueEventsOptions = {},
  ) {
    super();
    const name = typeof queue === 'string' ? queue : queue?.name;
    assertValid(QueueNameSchema, name, 'queue name', '/queue');
    const backend = options.backend ?? (typeof queue === 'string' ? undefined : queue.backend);
    const checked = { backend };
    assertBackend(checked, 'queue events options');
    this.queue = name;
    this.backend = checked.backend;
    if (options.autorun ?? true) this.start().catch((err) => this.emit('error', err));
  }

  /** Starts delivery; resolves once the subscription is live. Idempotent. */
  start(): Promise<void> {
    if (!this.starting) {
      this.starting = (async () => {
        await this.backend.ready();
        const unsubscribe = await this.backend.events.subscribe(
          [this.queue],
          (e) => {
            this.emit(e.type, e);
            this.emit('event', e);
          },
          this.options.fromId,
        );
        // Closed while subscribing: drop the subscription at once.
        if (this.closed) await unsubscribe();
        else this.unsubscribe = unsubscribe;
      })();
    }
    return this.starting;
  }

  /** Stops delivery. */
  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
