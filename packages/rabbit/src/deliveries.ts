import type { ReservedJob, Settlement } from '@mq/core';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { RabbitContext } from './context.js';
import { RUN_AT_HEADER } from './link.js';
import { Sweeper } from './sweep.js';
import type { QueueTopology } from './topology.js';

/** One delivery held unacked by this consumer. */
interface Held {
  jobId: string;
  msg: ConsumeMessage;
  ch: Channel;
  /** `fresh`: not looked at yet. `kept`: its job was waiting when last checked. */
  state: 'fresh' | 'kept';
  checkedAt: number;
}

/** The last instant a JS Date holds; later retry times are applied as failed. */
const MAX_STORED_TIME = 8.64e15;

/** How long a kept delivery (its job waiting but not granted: paused, limited) goes unchecked. */
const RECHECK_MS = 1000;

/**
 * The AMQP consumer of one queue and the deliveries it holds.
 *
 * A delivery names a job. The store decides which job a claim leases (so priorities,
 * LIFO, pause and global limits are the store's); the deliveries are how an idle worker
 * is woken and how unfinished work stays visible on the broker:
 *
 * - a claim binds the deliveries of the jobs it leased; they are acked only after the
 *   store recorded the attempt's outcome (store settled before ack);
 * - a delivery whose job is no longer waiting (settled, leased elsewhere, removed) is
 *   recognised by a store lookup and acked without running anything;
 * - a delivery of a job that is still waiting is kept (unacked) until a claim leases it;
 * - a delayed job's delivery carries its due time: it is acked at once and a timer
 *   publishes a fresh one when due.
 */
export class QueueDeliveries {
  private ch: Channel | undefined;
  private starting: Promise<void> | undefined;
  private readonly unbound = new Map<string, Held[]>();
  private readonly bound = new Map<string, Held[]>();
  /** Jobs this backend leased and has not settled yet. */
  private readonly leased = new Set<string>();
  private arrivals = 0;
  private readonly waiters = new Set<() => void>();
  private checking: Promise<void> | undefined;
  private prefetch: number | undefined;
  private stopped = false;
  private readonly sweeper: Sweeper;
  readonly topology: QueueTopology;

  constructor(
    private readonly ctx: RabbitContext,
    readonly queue: string,
  ) {
    this.topology = ctx.topology(queue);
    this.prefetch = ctx.opts.prefetch;
    this.sweeper = new Sweeper(ctx, queue, this.topology, (id) => this.knows(id));
  }

  /** Starts the consumer in the background if it is not running. */
  ensure(prefetchHint?: number): void {
    if (this.stopped || this.ch || this.starting) return;
    this.prefetch ??= Math.max(1, Math.min(65_535, prefetchHint ?? 1));
    if (!this.ctx.link.isUp) return; // the link's onUp restarts consumers
    this.starting = this.start()
      .catch((err: unknown) => this.ctx.opts.onError(err as Error))
      .finally(() => {
        this.starting = undefined;
      });
  }

  /** After a reconnect: open the channel again if this queue was being consumed. */
  restart(): void {
    this.ch = undefined;
    this.ensure();
  }

  private async start(): Promise<void> {
    const model = this.ctx.link.current;
    if (!model) return;
    await this.ctx.link.declare(this.topology);
    const ch = await model.createChannel();
    ch.on('error', () => undefined);
    ch.on('close', () => this.channelGone(ch));
    await ch.prefetch(this.prefetch ?? 1);
    if (this.stopped) {
      await ch.close().catch(() => undefined);
      return;
    }
    this.ch = ch;
    await ch.consume(this.topology.main, (msg) => this.onMessage(ch, msg), { noAck: false });
    this.sweeper.start();
  }

  /** The channel closed (connection lost, queue deleted): its deliveries go back to the broker. */
  private channelGone(ch: Channel): void {
    if (this.ch !== ch) return;
    this.ch = undefined;
    this.dropHeld(ch);
    // A deleted queue (obliterate elsewhere) is declared again on the next claim or wait.
  }

  private dropHeld(ch: Channel): void {
    for (const map of [this.unbound, this.bound]) {
      for (const [id, list] of map) {
        const rest = list.filter((h) => h.ch !== ch);
        if (rest.length === 0) map.delete(id);
        else map.set(id, rest);
      }
    }
  }

  private onMessage(ch: Channel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer: the queue was deleted.
      if (this.ch === ch) {
        this.ch = undefined;
        this.dropHeld(ch);
        ch.close().catch(() => undefined);
      }
      return;
    }
    const jobId = msg.content.toString('utf8');
    const runAt = msg.properties.headers?.[RUN_AT_HEADER];
    if (typeof runAt === 'number' && runAt > Date.now()) {
      ch.ack(msg);
      this.ctx.due.arm(this.queue, jobId, runAt);
      return;
    }
    const held: Held = { jobId, msg, ch, state: 'fresh', checkedAt: 0 };
    if (this.leased.has(jobId)) {
      push(this.bound, held);
      return;
    }
    push(this.unbound, held);
    this.arrivals++;
    this.wake();
  }

  private knows(jobId: string): boolean {
    return this.unbound.has(jobId) || this.bound.has(jobId) || this.leased.has(jobId);
  }

  private ack(held: Held): void {
    // A delivery of a closed channel is requeued by the broker; acking it would fail.
    if (held.ch !== this.ch) return;
    try {
      held.ch.ack(held.msg);
    } catch {
      // The channel closed meanwhile: the broker requeues the delivery, which is then recognised.
    }
  }

  /** A claim starts: it sees every delivery that arrived so far. */
  claimStarted(): void {
    this.arrivals = 0;
  }

  /** Binds the deliveries of jobs a claim leased; checks the rest when the claim came up short. */
  claimed(jobs: ReservedJob[], short: boolean): void {
    for (const r of jobs) {
      const id = r.job.id;
      this.leased.add(id);
      const list = this.unbound.get(id);
      if (list) {
        this.unbound.delete(id);
        for (const h of list) push(this.bound, h);
      }
    }
    if (short && this.unbound.size > 0) void this.checkSurplus();
  }

  /** Acks (or hands back) the deliveries of settled jobs; returns jobs needing a new notice. */
  settled(outcomes: Settlement[]): string[] {
    const republish: string[] = [];
    const now = Date.now();
    for (const o of outcomes) {
      this.leased.delete(o.jobId);
      const list = this.bound.get(o.jobId) ?? [];
      this.bound.delete(o.jobId);
      // A retry time no store can hold is applied as failed (see `Settlement`): no notice.
      const storable = o.kind === 'retry' && Math.abs(o.runAt) <= MAX_STORED_TIME;
      const waitingAgain = o.kind === 'released' || (storable && o.runAt <= now);
      if (waitingAgain) {
        if (list.length === 0) republish.push(o.jobId);
        for (const h of list) {
          h.state = 'fresh';
          push(this.unbound, h);
          this.arrivals++;
        }
      } else {
        for (const h of list) this.ack(h);
        if (storable) this.ctx.due.arm(this.queue, o.jobId, o.runAt);
      }
    }
    if (this.arrivals > 0) this.wake();
    return republish;
  }

  /** Looks up the jobs of unbound deliveries in the store; acks those no longer waiting. */
  private checkSurplus(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const now = Date.now();
    const ids = [...this.unbound.entries()]
      .filter(([, list]) => list.some((h) => h.state === 'fresh' || now - h.checkedAt > RECHECK_MS))
      .map(([id]) => id);
    await Promise.all(
      ids.map(async (id) => {
        const job = await this.ctx.store.admin.get(this.queue, id).catch(() => undefined);
        if (job === undefined) return; // store unreachable: look again next time
        const list = this.unbound.get(id);
        if (!list) return;
        if (job !== null && job.state === 'waiting') {
          for (const h of list) {
            h.state = 'kept';
            h.checkedAt = Date.now();
          }
          return;
        }
        if (this.leased.has(id)) {
          this.unbound.delete(id);
          for (const h of list) push(this.bound, h);
          return;
        }
        this.unbound.delete(id);
        for (const h of list) this.ack(h);
        if (job !== null && job.state === 'delayed') this.ctx.due.arm(this.queue, id, job.runAt);
      }),
    );
  }

  /** True when deliveries arrived since the last claim began. */
  get hasNews(): boolean {
    return this.arrivals > 0;
  }

  /** Deliveries held whose job was waiting but not granted (paused, limited). */
  get keptCount(): number {
    let n = 0;
    for (const list of this.unbound.values()) n += list.filter((h) => h.state === 'kept').length;
    return n;
  }

  /** Deliveries held now (bound and unbound). */
  get heldCount(): number {
    let n = 0;
    for (const map of [this.unbound, this.bound]) for (const l of map.values()) n += l.length;
    return n;
  }

  /** Resolves on the next delivery or local wake-up, abort, `maxWaitMs`, or `also`. */
  wait(signal: AbortSignal, maxWaitMs: number, also?: Promise<unknown>): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
      also?.then(done, done);
    });
  }

  /** Wakes every waiter of this queue. */
  wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Publishes notices for waiting jobs without a delivery in flight; see {@link Sweeper}. */
  sweep(): Promise<string[]> {
    return this.sweeper.sweep();
  }

  /** Stops consuming; held deliveries go back to the broker. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sweeper.stop();
    this.wake();
    // A broker that stopped answering must not hold up close() or obliterate().
    await within(
      this.starting?.catch(() => undefined),
      STOP_WAIT_MS,
    );
    const ch = this.ch;
    this.ch = undefined;
    this.unbound.clear();
    this.bound.clear();
    await within(
      ch?.close().catch(() => undefined),
      STOP_WAIT_MS,
    );
  }
}

/** How long `stop()` waits for the broker before it lets the channel go. */
const STOP_WAIT_MS = 1000;

function within(p: Promise<unknown> | undefined, ms: number): Promise<unknown> {
  if (p === undefined) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function push(map: Map<string, Held[]>, h: Held): void {
  const list = map.get(h.jobId);
  if (list) list.push(h);
  else map.set(h.jobId, [h]);
}
