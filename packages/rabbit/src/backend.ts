import type { Backend, BackendCapabilities, EventBus, LockStore, WorkerRegistry } from '@mq/core';
import { Lifecycle } from '@mq/core/backend-kit';
import { rabbitCapabilities } from './capabilities.js';
import type { RabbitContext } from './context.js';
import { QueueDeliveries } from './deliveries.js';
import { DueTimers } from './due-timers.js';
import { RabbitBackendClosedError } from './errors.js';
import { AmqpLink, type Notice } from './link.js';
import {
  type RabbitBackendOptions,
  type ResolvedRabbitOptions,
  resolveOptions,
} from './options.js';
import { RabbitQueueAdmin } from './queue-admin.js';
import { RabbitJobStore } from './job-store.js';
import { RabbitScheduleStore } from './schedule-store.js';
import { type QueueTopology, topologyFor } from './topology.js';

/** A {@link Backend} delivering through RabbitMQ with another backend as its store. */
export interface RabbitBackend extends Backend {
  /** The store backend (by reference). */
  readonly store: Backend;
  /** Prefix of the RabbitMQ queue names. */
  readonly prefix: string;
  /** The name this backend's connection shows in the broker (`connection_name`). */
  readonly connectionName: string;
  /** Connections made so far (more than 1 after a reconnect). */
  readonly connects: number;
  /** The RabbitMQ queue names of an @mq queue. */
  topology(queue: string): QueueTopology;
  /**
   * Runs one sweep of `queue` now (normally every `sweepIntervalMs` while a worker
   * consumes it): publishes notices for waiting and due jobs without a delivery in flight.
   * Returns their ids.
   */
  sweep(queue: string): Promise<string[]>;
}

class RabbitBackendImpl implements RabbitBackend, RabbitContext {
  readonly name: string;
  readonly capabilities: Readonly<BackendCapabilities>;
  readonly jobs: RabbitJobStore;
  readonly admin: RabbitQueueAdmin;
  readonly schedules: RabbitScheduleStore;
  readonly locks: LockStore;
  readonly workers: WorkerRegistry;
  readonly events: EventBus;
  readonly store: Backend;
  readonly link: AmqpLink;
  readonly due: DueTimers;
  private readonly topologies = new Map<string, QueueTopology>();
  private readonly consumers = new Map<string, QueueDeliveries>();
  private readonly lifecycle: Lifecycle;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(readonly opts: ResolvedRabbitOptions) {
    this.store = opts.store;
    this.name = `rabbit+${opts.store.name}`;
    this.capabilities = rabbitCapabilities(opts.store.capabilities);
    this.link = new AmqpLink(opts);
    this.due = new DueTimers((queue, jobId) => {
      void this.publish(queue, [{ jobId, priority: 0 }]);
    });
    this.jobs = new RabbitJobStore(this, (q) => this.deliveries(q));
    this.admin = new RabbitQueueAdmin(this, (q) => this.dropQueue(q));
    this.schedules = new RabbitScheduleStore(this);
    // Roles with nothing to deliver: the store's objects themselves, by reference.
    this.locks = opts.store.locks;
    this.workers = opts.store.workers;
    this.events = opts.store.events;
    this.link.onUp(() => {
      for (const d of this.consumers.values()) d.restart();
    });
    this.lifecycle = new Lifecycle({
      open: async () => {
        await this.store.ready();
        await this.link.open();
      },
      shut: async () => {
        this.due.close();
        await Promise.all([...this.inFlight]);
        await Promise.all([...this.consumers.values()].map((d) => d.stop()));
        this.consumers.clear();
        await this.link.close();
        if (this.opts.ownsStore) await this.store.close();
      },
      closedError: () => new RabbitBackendClosedError(),
    });
  }

  get prefix(): string {
    return this.opts.prefix;
  }

  get connectionName(): string {
    return this.link.connectionName;
  }

  get connects(): number {
    return this.link.connects;
  }

  topology(queue: string): QueueTopology {
    let t = this.topologies.get(queue);
    if (!t) {
      t = topologyFor(
        this.opts.prefix,
        queue,
        this.opts.queueType(queue),
        this.opts.deliveryLimit,
        this.opts.atLeastOnceDeadLetter,
      );
      this.topologies.set(queue, t);
    }
    return t;
  }

  async publish(queue: string, notices: Notice[]): Promise<void> {
    if (notices.length === 0) return;
    try {
      await this.link.publish(this.topology(queue), notices);
    } catch (err) {
      // After close() nothing is delivered any more; the store keeps the jobs.
      if ((err as Error).cause instanceof RabbitBackendClosedError) return;
      this.opts.onError(err as Error);
    }
  }

  publishSoon(queue: string, notices: Notice[]): void {
    if (notices.length === 0) return;
    const p = this.publish(queue, notices).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  wakeLocal(queue: string): void {
    this.consumers.get(queue)?.wake();
  }

  private deliveries(queue: string): QueueDeliveries {
    let d = this.consumers.get(queue);
    if (!d) {
      d = new QueueDeliveries(this, queue);
      if (!this.lifecycle.isClosed) this.consumers.set(queue, d);
    }
    return d;
  }

  private async dropQueue(queue: string): Promise<void> {
    const d = this.consumers.get(queue);
    this.consumers.delete(queue);
    this.due.dropQueue(queue);
    // Notices still in flight would come back unroutable once the queue is gone.
    await Promise.all([...this.inFlight]);
    await d?.stop();
    const t = this.topology(queue);
    this.link.forget(t);
    if (!this.link.isUp) return;
    await this.link
      .withChannel(async (ch) => {
        await ch.deleteQueue(t.main);
        await ch.deleteQueue(t.dead);
      })
      .catch((err: unknown) => this.opts.onError(err as Error));
  }

  sweep(queue: string): Promise<string[]> {
    return this.deliveries(queue).sweep();
  }

  ready(): Promise<void> {
    return this.lifecycle.ready();
  }

  close(): Promise<void> {
    return this.lifecycle.close();
  }
}

/**
 * Creates a RabbitMQ backend: RabbitMQ (amqplib) delivers, `store` — any other @mq
 * backend, used by reference — keeps every job's state. Connects on `ready()` (or the
 * first publish) and reconnects by itself. Closes `store` only with `ownsStore: true`.
 *
 * @example
 * const store = createRedisBackend({ url: 'redis://127.0.0.1:6379' });
 * const backend = createRabbitBackend({ url: 'amqp://mq:mq@127.0.0.1:5672', store });
 * const queue = new Queue('emails', { backend });
 *
 * @throws RabbitBackendOptionError for invalid options.
 */
export function createRabbitBackend(options: RabbitBackendOptions): RabbitBackend {
  return new RabbitBackendImpl(resolveOptions(options));
}
