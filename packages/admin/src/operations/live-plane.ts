import type { QueueEvent } from '@mq/core';
import { AUDIT_QUEUE } from './audit.js';
import type { BackendSet } from './backend-set.js';
import type { LiveStats } from './live-stats.js';

/** An event as the live plane fans it out: a process-wide sequence number for resume. */
export interface LiveEvent {
  seq: number;
  backend: string;
  event: QueueEvent;
}

/** Events kept for resume (`Last-Event-ID`). */
const HISTORY = 1_000;

/**
 * One backend event subscription per admin process (per backend, plus one per batch of
 * queues discovered later), fanned out to every listener — SSE clients, the throughput
 * counters — so N viewers cost the backend nothing more than one.
 */
export class LivePlane {
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly history: LiveEvent[] = [];
  private readonly subscribed = new Map<string, Set<string>>();
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private closed = false;
  /** Backend subscriptions opened so far. */
  subscriptions = 0;

  constructor(
    private readonly backends: BackendSet,
    private readonly stats: LiveStats,
    private readonly discoverMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts observing (idempotent); resolves once every backend's subscription is live. */
  start(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.started ??= (async () => {
      try {
        await this.discover();
      } catch (err) {
        // Not cached: the next caller tries again (the backend may be back by then).
        this.started = undefined;
        throw err;
      }
      if (this.closed) return;
      this.timer = setInterval(() => void this.discover().catch(this.onError), this.discoverMs);
      this.timer.unref();
    })();
    return this.started;
  }

  /** Adds a listener; returns its removal. Replays events after `afterSeq` first. */
  listen(fn: (e: LiveEvent) => void, afterSeq?: number): () => void {
    if (afterSeq !== undefined) for (const e of this.history) if (e.seq > afterSeq) fn(e);
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Listeners attached now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private async discover(): Promise<void> {
    const now = Date.now();
    await Promise.all(
      this.backends.all().map(async ({ name, backend }) => {
        const have = this.subscribed.get(name) ?? new Set<string>();
        this.subscribed.set(name, have);
        const fresh = (await backend.admin.listQueues()).filter(
          (q) => q !== AUDIT_QUEUE && !have.has(q),
        );
        this.stats.observing(name, now);
        if (fresh.length === 0 || this.closed) return;
        for (const q of fresh) have.add(q);
        this.subscriptions++;
        const un = await backend.events.subscribe(fresh, (event) => this.emit(name, event));
        if (this.closed) await un();
        else this.unsubscribes.push(un);
      }),
    );
  }

  private emit(backend: string, event: QueueEvent): void {
    this.stats.record(backend, event);
    const e: LiveEvent = { seq: ++this.seq, backend, event };
    this.history.push(e);
    if (this.history.length > HISTORY) this.history.shift();
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** Ends every subscription. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
    await Promise.all(this.unsubscribes.splice(0).map((u) => u()));
  }
}
