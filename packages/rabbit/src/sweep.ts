import type { JobRecord } from '@mq/core';
import type { RabbitContext } from './context.js';
import { messagePriority, type QueueTopology } from './topology.js';

/**
 * The outbox-style sweep of one queue: closes the window "store written, publish lost"
 * (a producer that crashed between its store write and its publish, a broker that was
 * down, a timer of a process that died).
 *
 * When the broker's queue holds no ready delivery and the queue is not paused, every
 * waiting job (and every delayed job already due) that this consumer holds no delivery
 * for gets a fresh notice — at most `sweepBatch` per pass. A notice too many is harmless:
 * the consumer that receives it finds the job not waiting and acks it without running it.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(
    private readonly ctx: RabbitContext,
    private readonly queue: string,
    private readonly topology: QueueTopology,
    private readonly knows: (jobId: string) => boolean,
  ) {}

  /** Sweeps every `sweepIntervalMs` until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.ctx.opts.onError(err as Error));
    }, this.ctx.opts.sweepIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; returns the ids it published notices for. */
  sweep(): Promise<string[]> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<string[]> {
    const { link, store, opts } = this.ctx;
    if (!link.isUp) return [];
    if (await store.admin.isPaused(this.queue)) return [];
    const depth = await link
      .withChannel((ch) => ch.checkQueue(this.topology.main))
      .then((r) => r.messageCount)
      .catch(() => 0); // not declared yet: publishing declares it
    if (depth > 0) return [];
    const page = { offset: 0, limit: opts.sweepBatch, order: 'asc' as const };
    const [waiting, delayed] = await Promise.all([
      store.admin.list(this.queue, { state: 'waiting', ...page }),
      store.admin.list(this.queue, { state: 'delayed', ...page }),
    ]);
    const now = Date.now();
    const due = (j: JobRecord) => j.runAt <= now;
    const jobs = [...waiting, ...delayed.filter(due)].filter((j) => !this.knows(j.id));
    await this.ctx.publish(
      this.queue,
      jobs.map((j) => ({ jobId: j.id, priority: messagePriority(j.priority) })),
    );
    return jobs.map((j) => j.id);
  }
}
