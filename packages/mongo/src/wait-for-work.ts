import type { WaitRequest } from '@mq/core';
import type { MongoContext } from './context.js';

/**
 * Per-queue adaptive poll interval: `min` after activity, doubled by every idle wait up
 * to `max`. Without change streams this bounds the idle command rate of a parked worker
 * to one `find` per interval (see the README).
 */
export class PollInterval {
  private readonly current = new Map<string, number>();

  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {}

  get(queue: string): number {
    return this.current.get(queue) ?? this.min;
  }

  idle(queue: string): void {
    this.current.set(queue, Math.min(this.max, this.get(queue) * 2));
  }

  active(queue: string): void {
    this.current.delete(queue);
  }
}

/**
 * `waitForWork`: resolves at once when a job is claimable, else at the earliest of the
 * next delayed job's due time, an in-process wake-up (an add or a freed job through
 * this backend), the poll interval, `maxWaitMs` or abort.
 */
export async function waitForWork(
  ctx: MongoContext,
  poll: PollInterval,
  queue: string,
  req: WaitRequest,
): Promise<void> {
  if (req.signal.aborted) return;
  await ctx.ensure();
  const next = await ctx.jobs.findOne(
    { q: queue, st: 'queued' },
    { sort: { runAt: 1 }, projection: { runAt: 1 } },
  );
  const now = ctx.now();
  if (next !== null && next.runAt <= now) {
    poll.active(queue);
    return;
  }
  const interval = poll.get(queue);
  let ms = Math.min(req.maxWaitMs, interval);
  if (next !== null) ms = Math.min(ms, next.runAt - now);
  if (ms <= 0 || req.signal.aborted) return;
  // A wake-up bumps the queue's epoch: that tells it from the poll interval running out.
  const epoch = ctx.hub.epoch(queue);
  await ctx.hub.wait(queue, req.signal, ms);
  const woke = req.signal.aborted || ctx.hub.epoch(queue) !== epoch;
  if (woke) poll.active(queue);
  else if (ms >= interval) poll.idle(queue);
}
