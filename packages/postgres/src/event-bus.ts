import type { EventBus, QueueEvent, QueueEventInput, QueueEventType } from '@mq/core';
import type { BackendContext } from './context.js';
import {
  type CoordinationStatements,
  coordinationStatements,
} from './sql/coordination-statements.js';

interface EventRow {
  first_id: number;
  last_id: number;
  /** JSON array of the publish call's events, ids first_id..last_id. */
  body: string;
}

/** One event as stored in a row's JSON array. */
interface StoredEvent {
  type: QueueEventType;
  jobId?: string;
  at: number;
  data?: Record<string, unknown>;
}

// Rows (publish calls) per read while catching up; a subscriber far behind reads in pages.
const READ_PAGE = 200;
// Publishes per queue between two history trims (per process).
const TRIM_EVERY = 100;

interface PendingPublish {
  events: QueueEventInput[];
  resolve(): void;
  reject(err: unknown): void;
}

interface Subscription {
  queues: Set<string>;
  cursors: Map<string, number>;
  listener: (event: QueueEvent) => void;
  /** Queues with a read in flight, and those that need another one after it. */
  reading: Set<string>;
  again: Set<string>;
  active: boolean;
}

/**
 * Events as rows of a per-queue log plus a NOTIFY per publish. Subscribers LISTEN and
 * read the rows after their cursor, so a notification is only a hint: nothing is lost
 * while the listener reconnects, and `fromId` replays the retained history.
 */
export class PostgresEventBus implements EventBus {
  private readonly sql: CoordinationStatements;
  private readonly subs = new Set<Subscription>();
  private readonly publishes = new Map<string, number>();
  private readonly outbox = new Map<string, PendingPublish[]>();
  private readonly flushing = new Set<string>();
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: BackendContext) {
    this.sql = coordinationStatements(ctx.names);
  }

  /**
   * Appends in call order per queue: while one write is in flight, later publishes of the
   * same queue gather into the next write. So events of one process never interleave out
   * of order across pool connections, and a busy queue costs one statement per round
   * trip rather than one per call.
   */
  publish(queue: string, events: QueueEventInput[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let pending = this.outbox.get(queue);
      if (!pending) {
        pending = [];
        this.outbox.set(queue, pending);
      }
      pending.push({ events, resolve, reject });
      if (!this.flushing.has(queue)) void this.flush(queue);
    });
  }

  private async flush(queue: string): Promise<void> {
    this.flushing.add(queue);
    try {
      for (let batch = this.outbox.get(queue); batch; batch = this.outbox.get(queue)) {
        this.outbox.delete(queue);
        try {
          await this.write(
            queue,
            batch.flatMap((p) => p.events),
          );
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing.delete(queue);
    }
  }

  private async write(queue: string, events: QueueEventInput[]): Promise<void> {
    const count = (this.publishes.get(queue) ?? 0) + 1;
    this.publishes.set(queue, count);
    const body: StoredEvent[] = events.map((e) => {
      const stored: StoredEvent = { type: e.type, at: Math.floor(e.at) };
      if (e.jobId !== undefined) stored.jobId = e.jobId;
      if (e.data !== undefined) stored.data = e.data;
      return stored;
    });
    await this.ctx.db.rows(this.sql.eventPublish, [
      queue,
      events.length,
      JSON.stringify(body),
      this.ctx.names.eventsChannel,
      count % TRIM_EVERY === 0,
      this.ctx.options.eventHistory,
    ]);
  }

  async subscribe(
    queues: string[],
    listener: (event: QueueEvent) => void,
    fromId?: string,
  ): Promise<() => Promise<void>> {
    const l = this.ctx.listener();
    await l.start();
    await l.listen(this.ctx.names.eventsChannel);
    const sub: Subscription = {
      queues: new Set(queues),
      cursors: new Map(),
      listener,
      reading: new Set(),
      again: new Set(),
      active: true,
    };
    if (fromId !== undefined) {
      for (const q of sub.queues) sub.cursors.set(q, Number(fromId));
    } else {
      const heads = await this.ctx.db.rows<{ queue: string; last_id: number }>(
        this.sql.eventHeads,
        [[...sub.queues]],
      );
      const byQueue = new Map(heads.map((h) => [h.queue, h.last_id]));
      for (const q of sub.queues) sub.cursors.set(q, byQueue.get(q) ?? 0);
    }
    this.subs.add(sub);
    this.syncPoll();
    // Replay (fromId) or catch up with anything published while we set up.
    for (const q of sub.queues) this.read(sub, q);
    return async () => {
      sub.active = false;
      this.subs.delete(sub);
      this.syncPoll();
    };
  }

  /** A NOTIFY on the events channel: `queue` has new rows. */
  notified(queue: string): void {
    for (const sub of this.subs) if (sub.queues.has(queue)) this.read(sub, queue);
  }

  /** The listener is back (or polling): read everything, notifications may be lost. */
  readAll(): void {
    for (const sub of this.subs) for (const q of sub.queues) this.read(sub, q);
  }

  /** Polls while the listener is down and someone subscribes; idle otherwise. */
  syncPoll(): void {
    const want = this.subs.size > 0 && !this.ctx.listener().isUp;
    if (want && !this.poll) {
      this.poll = setInterval(() => this.readAll(), this.ctx.options.pollIntervalMs);
      this.poll.unref();
    } else if (!want && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  /** Stops every subscription (backend close). */
  close(): void {
    for (const sub of this.subs) sub.active = false;
    this.subs.clear();
    this.syncPoll();
  }

  private read(sub: Subscription, queue: string): void {
    if (!sub.active) return;
    if (sub.reading.has(queue)) {
      sub.again.add(queue);
      return;
    }
    sub.reading.add(queue);
    void this.readLoop(sub, queue).finally(() => {
      sub.reading.delete(queue);
      if (sub.again.delete(queue)) this.read(sub, queue);
    });
  }

  private async readLoop(sub: Subscription, queue: string): Promise<void> {
    try {
      for (;;) {
        const after = sub.cursors.get(queue) ?? 0;
        const rows = await this.ctx.db.rows<EventRow>(this.sql.eventRead, [
          queue,
          after,
          READ_PAGE,
        ]);
        for (const r of rows) {
          const events = JSON.parse(r.body) as StoredEvent[];
          for (let k = 0; k < events.length; k++) {
            const id = r.first_id + k;
            if (!sub.active) return;
            if (id <= (sub.cursors.get(queue) ?? 0)) continue;
            sub.cursors.set(queue, id);
            const e = events[k]!;
            const event: QueueEvent = { id: String(id), queue, type: e.type, at: e.at };
            if (e.jobId !== undefined) event.jobId = e.jobId;
            if (e.data !== undefined) event.data = e.data;
            try {
              sub.listener(event);
            } catch {
              // A throwing listener must not stop delivery to itself or others.
            }
          }
        }
        if (rows.length < READ_PAGE) return;
      }
    } catch {
      // Server unreachable: the next notification, reconnect or poll reads again.
    }
  }
}
