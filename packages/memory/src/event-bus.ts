import type { EventBus, QueueEvent } from '@mq/core';

type Listener = (event: QueueEvent) => void;

/** One queue's events: a ring of the last `capacity` and the current subscribers. */
class Channel {
  lastId = 0;
  private readonly ring: (QueueEvent | undefined)[];
  private start = 0;
  private size = 0;
  /** Replaced, never mutated, so a delivery loop sees a stable list. */
  listeners: readonly Listener[] = [];

  constructor(private readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  record(event: QueueEvent): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = event;
      this.size++;
    } else {
      this.ring[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Kept events with an id above `after`, oldest first. Ids are consecutive here. */
  since(after: number): QueueEvent[] {
    const firstId = this.lastId - this.size + 1;
    const from = Math.max(firstId, after + 1);
    const out: QueueEvent[] = [];
    for (let id = from; id <= this.lastId; id++) {
      out.push(this.ring[(this.start + (id - firstId)) % this.capacity] as QueueEvent);
    }
    return out;
  }
}

/**
 * In-process pub/sub with a bounded history per queue (`distributedEvents` is false).
 * Delivery is synchronous and in publish order; a throwing listener is reported as a
 * process warning and never disturbs the publisher or the other listeners.
 */
export function createEventBus(history: number): EventBus & { close(): void } {
  const channels = new Map<string, Channel>();
  const channel = (queue: string): Channel => {
    let ch = channels.get(queue);
    if (ch === undefined) {
      ch = new Channel(history);
      channels.set(queue, ch);
    }
    return ch;
  };

  return {
    async publish(queue, events) {
      const ch = channel(queue);
      for (const input of events) {
        // Built field by field (faster than a spread on this hot path) and frozen: every
        // listener and every replay shares this one object.
        const event: QueueEvent = {
          id: String(++ch.lastId),
          queue,
          type: input.type,
          at: input.at,
        };
        if (input.jobId !== undefined) event.jobId = input.jobId;
        if (input.data !== undefined) event.data = input.data;
        Object.freeze(event);
        ch.record(event);
        for (const listener of ch.listeners) deliver(listener, event);
      }
    },
    async subscribe(queues, callback, fromId) {
      // A wrapper per subscription, so unsubscribing ends this subscription only, even
      // when the same function is subscribed twice.
      const listener: Listener = (event) => callback(event);
      const after = fromId === undefined ? undefined : Number(fromId);
      const subscribed = [...new Set(queues)].map(channel);
      for (const ch of subscribed) {
        // Replay and registration happen in one synchronous step: no event falls between.
        if (after !== undefined && Number.isSafeInteger(after)) {
          for (const event of ch.since(after)) deliver(listener, event);
        }
        ch.listeners = [...ch.listeners, listener];
      }
      return async () => {
        for (const ch of subscribed) ch.listeners = ch.listeners.filter((l) => l !== listener);
      };
    },
    close() {
      for (const ch of channels.values()) ch.listeners = [];
    },
  };
}

function deliver(listener: Listener, event: QueueEvent): void {
  try {
    listener(event);
  } catch (err) {
    process.emitWarning(`@mq/memory: an event listener threw: ${String(err)}`, {
      type: 'MqEventListenerWarning',
      detail: err instanceof Error && err.stack !== undefined ? err.stack : undefined,
    });
  }
}
