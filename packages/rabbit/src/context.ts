import type { Backend } from '@mq/core';
import type { DueTimers } from './due-timers.js';
import type { AmqpLink, Notice } from './link.js';
import type { ResolvedRabbitOptions } from './options.js';
import type { QueueTopology } from './topology.js';

/** What the role objects of one RabbitMQ backend share. */
export interface RabbitContext {
  readonly opts: ResolvedRabbitOptions;
  readonly link: AmqpLink;
  /** The store backend, held by reference. */
  readonly store: Backend;
  readonly due: DueTimers;
  /** The declarations of a queue (validates its name). */
  topology(queue: string): QueueTopology;
  /**
   * Publishes delivery notices and waits for their confirms. Never throws: a notice that
   * cannot be published is reported to `onError` (the job is in the store; the sweep
   * publishes it later).
   */
  publish(queue: string, notices: Notice[]): Promise<void>;
  /**
   * Starts publishing without waiting for the confirms (they are still awaited, and
   * failures reported, in the background; `close()` waits for them). Used by `add`: the
   * store write is the producer's commit point, and a producer that waited for the
   * confirm would let a fast worker finish the job before `add` returned.
   */
  publishSoon(queue: string, notices: Notice[]): void;
  /** Wakes this backend's waiters on `queue` (resume, a local notice). */
  wakeLocal(queue: string): void;
}
