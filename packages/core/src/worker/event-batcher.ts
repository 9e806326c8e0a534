import type { Backend, QueueEventInput } from '../contract/index.js';

/** How long events wait to share a `publish` call, in ms. */
export const EVENT_BATCH_WINDOW_MS = 5;

/**
 * Coalesces events into one `publish` per window (5 ms) with at most one in flight, so
 * a busy worker or producer pays one extra round trip per window rather than one per
 * job. Events are advisory: a failed batch is reported, never retried into the job path.
 */
export class EventBatcher {
  private buffer: QueueEventInput[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly queue: string,
    private readonly onError: (err: unknown) => void,
    private readonly windowMs = EVENT_BATCH_WINDOW_MS,
  ) {}

  /** Queues an event for the next flush. */
  push(event: QueueEventInput): void {
    this.buffer.push(event);
    if (!this.inFlight) this.inFlight = this.loop();
  }

  /** Queues many events (no argument spreading: a bulk add can carry 100,000). */
  pushAll(events: QueueEventInput[]): void {
    for (const e of events) this.push(e);
  }

  /** Resolves when everything pushed so far is published (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async loop(): Promise<void> {
    while (this.buffer.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.windowMs));
      const batch = this.buffer;
      this.buffer = [];
      try {
        await this.backend.events.publish(this.queue, batch);
      } catch (err) {
        this.onError(err);
      }
    }
    this.inFlight = null;
  }
}
