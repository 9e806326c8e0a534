import type { Backend, QueueEvent, QueueEventType } from './contract/index.js';
import { QueueNameSchema } from './options/queue-options.js';
import { TypedEmitter } from './typed-emitter.js';
import { assertValid } from './validate.js';

/** Listeners of `QueueEvents`: one per event type, plus `event` for all of them. */
export type QueueEventListeners = { [K in QueueEventType]: (event: QueueEvent) => void } & {
  event: (event: QueueEvent) => void;
  error: (err: unknown) => void;
};

/**
 * Subscribes to a queue's events as published by every Queue and Worker — across
 * processes where the backend declares `distributedEvents`, else within this process.
 */
export class QueueEvents extends TypedEmitter<QueueEventListeners> {
  private unsubscribe: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    readonly queue: string,
    private readonly options: { backend: Backend; fromId?: string },
  ) {
    super();
    assertValid(QueueNameSchema, queue, 'queue name', '/queue');
  }

  /** Starts delivery; resolves once the subscription is live. Idempotent. */
  start(): Promise<void> {
    if (!this.starting) {
      this.starting = (async () => {
        await this.options.backend.ready();
        this.unsubscribe = await this.options.backend.events.subscribe(
          [this.queue],
          (e) => {
            this.emit(e.type, e);
            this.emit('event', e);
          },
          this.options.fromId,
        );
      })();
    }
    return this.starting;
  }

  /** Stops delivery. */
  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
