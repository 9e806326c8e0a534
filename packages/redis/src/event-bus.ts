import type { EventBus, QueueEvent, QueueEventInput } from '@mq/core';
import type { BackendContext } from './context.js';
import { decodeEntry, EVENTS_PER_ENTRY, encodeEntry, readStartFor } from './event-codec.js';

/** Stream entries kept per queue (approximate trim, as XADD MAXLEN ~ does). */
export const EVENT_HISTORY = 10_000;

/** Entries fetched per XREAD. */
const READ_COUNT = 1000;
/** Pause after an unexpected read error (reconnects themselves just wait). */
const ERROR_BACKOFF_MS = 500;

type Listener = (event: QueueEvent) => void;

/**
 * Events on a capped Redis Stream per queue (`XADD MAXLEN ~ 10000` entries, each holding
 * one publish batch; see event-codec.ts): ids are plain increasing integers, handed out
 * without a script, and keep increasing across `obliterate`, which leaves the stream
 * alone. Each subscription
 * reads its queues' streams with `XREAD BLOCK` on a dedicated connection; unsubscribing
 * disconnects it, which ends the blocked read at once. A read in flight during a server
 * restart is re-sent after the reconnect and resumes after the last delivered id.
 */
export class RedisEventBus implements EventBus {
  private readonly subscriptions = new Set<() => Promise<void>>();

  constructor(private readonly ctx: BackendContext) {}

  async publish(queue: string, events: QueueEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const key = this.ctx.keys.queue(queue).key.events;
    const main = this.ctx.conns.main;
    this.ctx.writes.hold();
    // One XADD per chunk, back to back on one connection: one round trip, in order.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < events.length; i += EVENTS_PER_ENTRY) {
      const entry = encodeEntry(events.slice(i, i + EVENTS_PER_ENTRY));
      writes.push(main.call('XADD', [key, 'MAXLEN', '~', EVENT_HISTORY, '0-*', 'e', entry]));
    }
    await Promise.all(writes);
  }

  async subscribe(
    queues: string[],
    listener: Listener,
    fromId?: string,
  ): Promise<() => Promise<void>> {
    const names = [...new Set(queues)];
    const streams = names.map((q) => this.ctx.keys.queue(q).key.events);
    const from = fromId !== undefined && /^\d+$/.test(fromId) ? readStartFor(fromId) : undefined;
    // Start after the last id published so far: events published once this resolves are
    // never missed, even before the first XREAD reaches the server.
    const ids =
      from !== undefined
        ? names.map(() => from.streamId)
        : await Promise.all(streams.map((s) => this.lastId(s)));
    // Per stream: events at or below this id are skipped (only in its first entry read).
    const after = names.map(() => from?.after ?? -1);
    const conn = this.ctx.conns.blocking();
    let stopped = false;

    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          const reply = (await conn.call('XREAD', [
            'COUNT',
            READ_COUNT,
            'BLOCK',
            this.ctx.opts.blockMs,
            'STREAMS',
            ...streams,
            ...ids,
          ])) as [string, [string, string[]][]][] | null;
          if (stopped || reply === null) continue;
          for (const [stream, entries] of reply) {
            const idx = streams.indexOf(stream);
            const queue = names[idx] as string;
            for (const [id, fields] of entries) {
              ids[idx] = id;
              for (const event of decodeEntry(queue, id, fields, after[idx] ?? -1)) {
                deliver(this.ctx.opts.onError, listener, event);
              }
              after[idx] = -1;
            }
          }
        } catch (err) {
          if (stopped) break;
          this.ctx.opts.onError(err instanceof Error ? err : new Error(String(err)));
          await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
        }
      }
    };
    const done = loop();
    const unsubscribe = async (): Promise<void> => {
      if (stopped) return done;
      stopped = true;
      this.subscriptions.delete(unsubscribe);
      this.ctx.conns.release(conn);
      return done;
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /** The id of the newest entry of `stream`, or `0-0` when it has none. */
  private async lastId(stream: string): Promise<string> {
    const last = (await this.ctx.conns.main.xrevrange(stream, '+', '-', 'COUNT', 1)) as [
      string,
      string[],
    ][];
    return last[0]?.[0] ?? '0-0';
  }

  /** Ends every subscription (backend close). */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((u) => u()));
  }
}

function deliver(onError: (err: Error) => void, listener: Listener, event: QueueEvent): void {
  try {
    listener(event);
  } catch (err) {
    onError(new Error(`an event listener threw: ${String(err)}`, { cause: err }));
  }
}
