/** The kinds of job and queue events. */
export type QueueEventType =
  | 'added'
  | 'active'
  | 'progress'
  | 'completed'
  | 'failed'
  | 'retrying'
  | 'stalled'
  | 'deduplicated'
  | 'updated'
  | 'removed'
  | 'cancelled'
  | 'paused'
  | 'resumed'
  | 'drained'
  | 'retried'
  | 'promoted'
  | 'cleaned'
  | 'obliterated'
  | 'schedule';

/** One event as published. */
export interface QueueEventInput {
  type: QueueEventType;
  /**
   * Absent for queue-level events (paused, resumed, drained, retried, promoted, cleaned,
   * obliterated, schedule). Operator actions carry `actor` and `reason` in `data` when
   * the caller gave them, and bulk actions `count` and `ids` (at most 1,000).
   */
  jobId?: string;
  /** ms epoch. */
  at: number;
  /** Small JSON-able details: result, error message, progress, owner id, … */
  data?: Record<string, unknown>;
}

/** An event as delivered: the bus assigns an id that orders it within the queue. */
export interface QueueEvent extends QueueEventInput {
  id: string;
  queue: string;
}

/** Cross-process events where the backend declares `distributedEvents`. */
export interface EventBus {
  publish(queue: string, events: QueueEventInput[]): Promise<void>;
  /**
   * Delivers events of `queues` published after the call (or after `fromId` where the
   * backend keeps history). Resolves once the subscription is live.
   */
  subscribe(
    queues: string[],
    listener: (event: QueueEvent) => void,
    fromId?: string,
  ): Promise<() => Promise<void>>;
}
