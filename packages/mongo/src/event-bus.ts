import type { EventBus, QueueEvent, QueueEventInput } from '@mq/core';
import { isDuplicateKey, type MongoContext } from './context.js';
import { allocate, counterKey } from './sequence.js';

/** An event document in `<prefix>_events` (unique index `{q, seq}`). */
interface EventDoc {
  q: string;
  seq: number;
  type: QueueEvent['type'];
  at: number;
  jobId?: string;
  data?: Record<string, unknown>;
}

/**
 * A sequence number taken but not yet visible (its publisher is between `$inc` and
 * insert) holds delivery of later ones for at most this long; then it is skipped.
 */
const GAP_WAIT_MS = 2000;
/** Old events are swept every this many publish calls of this backend. */
const SWEEP_EVERY = 256;

type Listener = (event: QueueEvent) => void;

/**
 * Events across processes without change streams: each publish takes consecutive
 * per-queue sequence numbers (one `$inc`) and inserts the events; each subscription
 * polls for sequence numbers above the last it delivered (index `{q, seq}`), at the
 * adaptive interval of `pollMs`, and at once after a publish through this backend.
 */
export class MongoEventBus implements EventBus {
  private readonly subs = new Set<Subscription>();
  private publishes = 0;

  constructor(private readonly ctx: MongoContext) {}

  async publish(queue: string, events: QueueEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await this.ctx.ensure();
    if (!this.ctx.ferret) return this.write(queue, events);
    // FerretDB: the counter's `$inc` is not atomic, so two publishes racing in this
    // process could take one number and deliver out of order; they go one at a time.
    // (Publishers in different processes can still race there: see the README.)
    const run = this.chain.then(() => this.write(queue, events));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private chain: Promise<void> = Promise.resolve();

  private async write(queue: string, events: QueueEventInput[]): Promise<void> {
    // Ordered: events of one call keep their order. A sequence number that collides (the
    // counter's `$inc` is not atomic on FerretDB) is taken again for the rest.
    let rest = events;
    for (let round = 0; rest.length > 0; round++) {
      const first = await allocate(this.ctx, queue, 'eseq', rest.length);
      const docs: EventDoc[] = rest.map((e, i) => {
        const d: EventDoc = { q: queue, seq: first + i, type: e.type, at: e.at };
        if (e.jobId !== undefined) d.jobId = e.jobId;
        if (e.data !== undefined) d.data = e.data;
        return d;
      });
      try {
        await this.ctx.events.insertMany(docs, { ordered: true });
        rest = [];
      } catch (err) {
        const inserted = (err as { insertedCount?: number }).insertedCount ?? 0;
        if (!isDuplicateKey(err) || round >= 10) throw err;
        rest = rest.slice(inserted);
      }
    }
    for (const s of this.subs) if (s.queues.has(queue)) s.kick();
    if (++this.publishes % SWEEP_EVERY === 0) {
      await this.ctx.events.deleteMany({
        at: { $lt: this.ctx.now() - this.ctx.opts.eventRetentionMs },
      });
    }
  }

  async subscribe(
    queues: string[],
    listener: Listener,
    fromId?: string,
  ): Promise<() => Promise<void>> {
    await this.ctx.ensure();
    const names = [...new Set(queues)];
    const last = new Map<string, number>();
    const after = fromId === undefined ? Number.NaN : Number(fromId);
    if (Number.isSafeInteger(after)) {
      for (const q of names) last.set(q, after);
    } else {
      const metas = await this.ctx.meta
        .find(
          { _id: { $in: names.map((q) => counterKey(q, 'eseq')) } },
          { projection: { q: 1, eseq: 1 } },
        )
        .toArray();
      for (const q of names) last.set(q, 0);
      for (const m of metas) last.set(m.q, m.eseq ?? 0);
    }
    const sub = new Subscription(this.ctx, new Set(names), last, listener);
    this.subs.add(sub);
    sub.start();
    return async () => {
      this.subs.delete(sub);
      await sub.stop();
    };
  }

  /** Stops every subscription (backend close). */
  async close(): Promise<void> {
    const all = [...this.subs];
    this.subs.clear();
    await Promise.all(all.map((s) => s.stop()));
  }
}

class Subscription {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private again = false;
  private interval: number;
  /** Per queue: since when the next sequence number has been missing. */
  private readonly gapSince = new Map<string, number>();

  constructor(
    private readonly ctx: MongoContext,
    readonly queues: ReadonlySet<string>,
    private readonly last: Map<string, number>,
    private readonly listener: Listener,
  ) {
    this.interval = ctx.opts.pollMin;
  }

  start(): void {
    this.schedule(0);
  }

  /** Polls now (an event was published through this backend). */
  kick(): void {
    this.interval = this.ctx.opts.pollMin;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((err: unknown) => {
          // A failed poll (server down) is retried at the slowest interval.
          this.interval = this.ctx.opts.pollMax;
          process.emitWarning(`@mq/mongo: event poll failed: ${String(err)}`, 'MqEventPollWarning');
        })
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            this.schedule(0);
          } else this.schedule(this.interval);
        });
    }, ms);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    const or = [...this.queues].map((q) => ({ q, seq: { $gt: this.last.get(q) ?? 0 } }));
    const docs = (await this.ctx.events
      .find({ $or: or }, { sort: { seq: 1 }, limit: 1000 })
      .toArray()) as EventDoc[];
    let delivered = 0;
    const now = Date.now();
    for (const d of docs) {
      if (this.stopped) return;
      const prev = this.last.get(d.q) ?? 0;
      if (d.seq <= prev) continue;
      if (d.seq !== prev + 1) {
        const since = this.gapSince.get(d.q) ?? now;
        this.gapSince.set(d.q, since);
        // Hold later events of this queue until the missing one shows up (or times out).
        if (now - since < GAP_WAIT_MS) continue;
      }
      this.gapSince.delete(d.q);
      this.last.set(d.q, d.seq);
      delivered++;
      const event: QueueEvent = { id: String(d.seq), queue: d.q, type: d.type, at: d.at };
      if (d.jobId != null) event.jobId = d.jobId;
      if (d.data != null) event.data = d.data;
      try {
        this.listener(event);
      } catch (err) {
        process.emitWarning(
          `@mq/mongo: an event listener threw: ${String(err)}`,
          'MqEventListenerWarning',
        );
      }
    }
    if (delivered > 0 || this.gapSince.size > 0) this.interval = this.ctx.opts.pollMin;
    else this.interval = Math.min(this.ctx.opts.pollMax, this.interval * 2);
    if (docs.length === 1000) this.again = true;
  }
}
