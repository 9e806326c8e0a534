import { WaiterSet } from '@mq/core/backend-kit';
import type { Redis } from 'ioredis';
import type { BackendContext } from './context.js';
import { NEXT_DUE } from './scripts/jobs.js';

/** Pause after an unexpected error of the wait loop (not a reconnect: those just wait). */
const ERROR_BACKOFF_MS = 500;
/** A queue's blocking connection is closed after this long without waiters. */
const IDLE_RELEASE_MS = 60_000;

/** The connection that blocks for one queue's waiters. */
interface QueueWait {
  readonly queue: string;
  conn: Redis | undefined;
  running: boolean;
  /** Closes the connection of a queue nobody waits on any more. */
  idleTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * `waitForWork` without polling. Scripts that make work reservable (add, retry,
 * release, stall recovery, promote, resume, a reserve that leaves work behind) push a
 * one-member marker zset; each queue with local waiters has ONE dedicated connection
 * blocked in `BZPOPMIN marker timeout`, with timeout = min(time to the earliest delayed
 * job, `blockMs`). A popped marker wakes every local waiter of the queue (a spurious
 * wake-up costs one empty reserve); one marker wakes one process, and a reserve that
 * leaves work behind pushes the marker again, so a burst wakes processes in a chain.
 *
 * Waiter timeouts and aborts are local timers and listeners: they resolve at once and
 * never touch Redis. One blocking connection per (backend, queue) keeps a Cluster
 * deployment working (one queue = one slot) and avoids interrupting a blocked command
 * when waiters come and go.
 */
export class WakeHub {
  private readonly queues = new Map<string, QueueWait>();
  private readonly waiters = new WaiterSet();
  private closed = false;

  constructor(private readonly ctx: BackendContext) {}

  /** Parks until work may be there, `maxWaitMs` passed, or `signal` aborted. Never rejects. */
  wait(queue: string, signal: AbortSignal, maxWaitMs: number): Promise<void> {
    if (this.closed || signal.aborted || maxWaitMs <= 0) return Promise.resolve();
    let q = this.queues.get(queue);
    if (q === undefined) {
      q = { queue, conn: undefined, running: false, idleTimer: undefined };
      this.queues.set(queue, q);
    }
    const done = this.waiters.wait(queue, signal, maxWaitMs);
    if (q.idleTimer !== undefined) clearTimeout(q.idleTimer);
    q.idleTimer = undefined;
    if (!q.running) void this.loop(q);
    return done;
  }

  /** Resolves every waiter and closes the blocking connections. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) {
      if (q.idleTimer !== undefined) clearTimeout(q.idleTimer);
      if (q.conn !== undefined) this.ctx.conns.release(q.conn);
      q.conn = undefined;
    }
    this.queues.clear();
    this.waiters.close();
  }

  private async loop(q: QueueWait): Promise<void> {
    q.running = true;
    const keys = this.ctx.keys.queue(q.queue);
    while (this.waiters.waiting(q.queue) > 0 && !this.closed) {
      try {
        const due = Number(await this.ctx.scripts.run(NEXT_DUE, keys.list, []));
        if (this.waiters.waiting(q.queue) === 0 || this.closed) break;
        if (due === 0) {
          this.waiters.wake(q.queue);
          break;
        }
        const ms = due < 0 ? this.ctx.opts.blockMs : Math.min(due, this.ctx.opts.blockMs);
        q.conn ??= this.ctx.conns.blocking();
        const popped = await q.conn.bzpopmin(keys.key.marker, ms / 1000);
        if (this.closed) break;
        if (popped !== null) {
          // Nobody here wants it any more: hand the marker on to other processes.
          if (this.waiters.waiting(q.queue) === 0)
            await this.ctx.conns.main.zadd(keys.key.marker, 0, '0');
          else this.waiters.wake(q.queue);
        } else if (ms === due) {
          this.waiters.wake(q.queue);
        }
      } catch (err) {
        if (this.closed) break;
        this.ctx.opts.onError(err instanceof Error ? err : new Error(String(err)));
        await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
      }
    }
    q.running = false;
    if (this.closed || this.waiters.waiting(q.queue) > 0) return;
    // Workers come back within their idle wait; a queue nobody waits on for a minute
    // gives its connection back (apps with many short-lived queues).
    q.idleTimer = setTimeout(() => {
      if (this.waiters.waiting(q.queue) > 0 || q.running) return;
      if (q.conn !== undefined) this.ctx.conns.release(q.conn);
      q.conn = undefined;
      this.queues.delete(q.queue);
    }, IDLE_RELEASE_MS);
    q.idleTimer.unref();
  }
}
