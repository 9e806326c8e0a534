import type { Options } from 'amqplib';
import { RabbitQueueNameError } from './errors.js';
import type { QueueKind } from './options.js';

/** Highest message priority on a classic queue (`x-max-priority`); job priorities are clamped to 0..9. */
export const CLASSIC_MAX_PRIORITY = 9;

/** The RabbitMQ names and declarations of one @mq queue. */
export interface QueueTopology {
  /** The queue the deliveries go to: `<prefix>.<queue>`. */
  main: string;
  /** Where poison deliveries are dead-lettered: `<prefix>.<queue>.dead`. */
  dead: string;
  kind: QueueKind;
  mainArgs: Options.AssertQueue;
  deadArgs: Options.AssertQueue;
}

/**
 * The declarations of one queue. Idempotent: the same name always gets the same
 * arguments, so every process may declare it on every (re)connect.
 *
 * - quorum: `x-delivery-limit` (3.10 has none by default), `x-overflow: reject-publish`
 *   and dead-lettering to `.dead` — at-most-once by default, because on RabbitMQ 3.10.8
 *   a consumer on a queue declared with `x-dead-letter-strategy: at-least-once` crashes
 *   the connection (541 INTERNAL_ERROR, measured on this machine's Debian broker);
 *   at-least-once when asked (`atLeastOnceDeadLetter`).
 * - classic: `x-max-priority` so higher-priority jobs' deliveries overtake others; a
 *   classic queue has no delivery limit on 3.10, its poison bound is the store's
 *   `maxStalls`.
 *
 * @throws RabbitQueueNameError when the prefixed name exceeds AMQP's 255 bytes.
 */
export function topologyFor(
  prefix: string,
  queue: string,
  kind: QueueKind,
  deliveryLimit: number,
  atLeastOnceDeadLetter = false,
): QueueTopology {
  const main = `${prefix}.${queue}`;
  const dead = `${main}.dead`;
  if (Buffer.byteLength(dead) > 255) {
    throw new RabbitQueueNameError(queue, 'the prefixed name is longer than 255 bytes');
  }
  const deadLetter = { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dead };
  const mainArgs: Options.AssertQueue =
    kind === 'quorum'
      ? {
          durable: true,
          arguments: {
            'x-queue-type': 'quorum',
            'x-delivery-limit': deliveryLimit,
            // Safe to combine with at-least-once dead-lettering on brokers where it works.
            'x-overflow': 'reject-publish',
            ...(atLeastOnceDeadLetter ? { 'x-dead-letter-strategy': 'at-least-once' } : {}),
            ...deadLetter,
          },
        }
      : {
          durable: true,
          arguments: { 'x-max-priority': CLASSIC_MAX_PRIORITY, ...deadLetter },
        };
  return { main, dead, kind, mainArgs, deadArgs: { durable: true } };
}

/** A job priority as an AMQP message priority on a classic queue. */
export function messagePriority(priority: number): number {
  if (!Number.isFinite(priority) || priority <= 0) return 0;
  return Math.min(CLASSIC_MAX_PRIORITY, Math.floor(priority));
}
