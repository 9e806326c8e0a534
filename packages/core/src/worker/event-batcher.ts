import type { Backend, QueueEventInput } from '../contract/index.js';

/**
 * Coalesces events into one `publish` per flush with at most one in flight, so a
 * worker finishing 100 jobs at once pays one round trip, not 100.
 */
export class EventBatcher {
  private buffer: QueueEventInput[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly queue: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Queues an event for the next flush. */
  push(event: QueueEventInput): void {
    this.buffer.push(event);
    if (!this.inFlight) this.inFlight = this.loop();
  }

  /** Resolves when everything pushed so far is published (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async loop(): Promise<void> {
    // Yield once so events pushed in the same tick share the call.
    await Promise.resolve();
    while (this.buffer.length > 0) {
      const batch = this.buffer;
      this.buffer = [];
      try {
        await this.backend.events.publish(this.queue, batch);
      } catch (err) {
        // Events are advisory: a lost batch must never block jobs.
        this.onError(err);
      }
    }
    this.inFlight = null;
  }
}
