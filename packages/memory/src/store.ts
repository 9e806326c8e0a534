import { randomUUID } from 'node:crypto';
import type { ScheduleRecord } from '@mq/core';
import type { ResolvedMemoryOptions } from './options.js';
import { QueueState } from './queue-state.js';
import { WaiterSet } from '@mq/core/backend-kit';

/**
 * The state shared by every role of one memory backend: the queues, the clock, the
 * auto-id counters and the parked `waitForWork` calls.
 */
export class MemoryStore {
  readonly queues = new Map<string, QueueState>();
  /** Schedules by queue, then id; here so `obliterate` and `listQueues` see them. */
  readonly schedules = new Map<string, Map<string, ScheduleRecord>>();
  readonly waiters = new WaiterSet();
  readonly now: () => number;
  /**
   * Auto-id counters outlive `obliterate`, so an id is never handed out twice by one
   * backend (events and logs of an old job cannot be mistaken for a new one's).
   */
  private readonly idCounters = new Map<string, number>();
  /**
   * Lease tokens are a random per-backend prefix plus a grant counter: unique for the
   * life of the backend (so a stale token can never match again), unguessable across
   * backends, and several times cheaper than a UUID per grant on the hot path.
   */
  private readonly tokenPrefix = `${randomUUID()}:`;
  private tokenCounter = 0;

  constructor(readonly options: ResolvedMemoryOptions) {
    this.now = options.now;
  }

  /** The queue's state, created on first write. */
  queue(name: string): QueueState {
    let q = this.queues.get(name);
    if (q === undefined) {
      q = new QueueState(name);
      this.queues.set(name, q);
    }
    return q;
  }

  /** The queue's state if it exists; reads never create one. */
  peek(name: string): QueueState | undefined {
    return this.queues.get(name);
  }

  nextId(queue: string): string {
    const n = (this.idCounters.get(queue) ?? 0) + 1;
    this.idCounters.set(queue, n);
    return String(n);
  }

  newToken(): string {
    return this.tokenPrefix + (++this.tokenCounter).toString(36);
  }

  wake(queue: string): void {
    this.waiters.wake(queue);
  }
}
