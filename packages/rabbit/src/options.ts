import type { Backend } from '@mq/core';
import { RabbitBackendOptionError } from './errors.js';

/** How a queue is declared: see the README ("Topology") for what each choice gives. */
export type QueueKind = 'quorum' | 'classic';

/** Options of {@link createRabbitBackend}. */
export interface RabbitBackendOptions {
  /** `amqp://user:pass@host:port/vhost` or `amqps://…`. Required. */
  url: string;
  /**
   * The backend that keeps every job's state (memory, Redis, PostgreSQL, MongoDB, …). It
   * is used by reference through its role objects, never copied. Required.
   */
  store: Backend;
  /**
   * Close `store` when this backend closes. Default `false` (the store is yours); `fromUrl`
   * sets it when it created the store from `?store=`.
   */
  ownsStore?: boolean;
  /** Prefix of every RabbitMQ queue name (`<prefix>.<queue>`). Default `mq`. */
  prefix?: string;
  /**
   * Queue type per queue: `quorum` (replicated, delivery limit, at-least-once
   * dead-lettering) or `classic` (with `x-max-priority`; no delivery limit on 3.10). A
   * function chooses per queue name. Default `quorum`.
   */
  queueType?: QueueKind | ((queue: string) => QueueKind);
  /**
   * Deliveries of one message before a quorum queue dead-letters it to
   * `<prefix>.<queue>.dead` (RabbitMQ 3.10 has no default). Default 20.
   */
  deliveryLimit?: number;
  /**
   * Declare quorum queues with `x-dead-letter-strategy: at-least-once`. Default `false`:
   * on RabbitMQ 3.10.8 (Debian's) consuming such a queue crashes the connection. A lost
   * dead-letter loses a notice, never a job (the job is in the store).
   */
  atLeastOnceDeadLetter?: boolean;
  /**
   * Unacked deliveries per queue consumer. Default: the `max` of the first claim on the
   * queue, which is the worker's concurrency (its first claim asks for every slot).
   */
  prefetch?: number;
  /** How often a consumer checks for waiting jobs that have no delivery, in ms. Default 5,000. */
  sweepIntervalMs?: number;
  /** Most waiting (and due delayed) jobs one sweep publishes. Default 500. */
  sweepBatch?: number;
  /** First reconnect delay in ms; doubles per failure up to `reconnectMaxMs`. Default 100. */
  reconnectMinMs?: number;
  /** Longest reconnect delay in ms. Default 5,000. */
  reconnectMaxMs?: number;
  /**
   * How long a publish waits for a connection while the broker is down, in ms, before it
   * gives up (the sweep publishes the job later). Default 5,000.
   */
  publishTimeoutMs?: number;
  /** Where connection and publish errors go (recovery is automatic). Default: a throttled `console.warn`. */
  onError?: (err: Error) => void;
}

/** Options with every default filled in. */
export interface ResolvedRabbitOptions {
  url: string;
  store: Backend;
  ownsStore: boolean;
  prefix: string;
  queueType: (queue: string) => QueueKind;
  deliveryLimit: number;
  atLeastOnceDeadLetter: boolean;
  prefetch: number | undefined;
  sweepIntervalMs: number;
  sweepBatch: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  publishTimeoutMs: number;
  onError: (err: Error) => void;
}

/** Default of {@link RabbitBackendOptions.prefix}. */
export const DEFAULT_PREFIX = 'mq';
/** Default of {@link RabbitBackendOptions.deliveryLimit}. */
export const DEFAULT_DELIVERY_LIMIT = 20;
/** Default of {@link RabbitBackendOptions.sweepIntervalMs}. */
export const DEFAULT_SWEEP_INTERVAL_MS = 5000;

const ROLES = ['jobs', 'admin', 'schedules', 'locks', 'workers', 'events'] as const;

function int(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RabbitBackendOptionError(
      option,
      `expected an integer in ${min}..${max}, got ${String(value)}`,
    );
  }
  return value;
}

function throttledWarn(): (err: Error) => void {
  let last = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < 5000) return;
    last = now;
    console.warn(`[@mq/rabbit] ${err.message}`);
  };
}

function queueTypeOf(value: RabbitBackendOptions['queueType']): (queue: string) => QueueKind {
  if (value === undefined) return () => 'quorum';
  if (typeof value === 'function') {
    return (queue) => {
      const kind = value(queue);
      if (kind !== 'quorum' && kind !== 'classic') {
        throw new RabbitBackendOptionError(
          'queueType',
          `the function returned ${String(kind)} for queue '${queue}'; expected 'quorum' or 'classic'`,
        );
      }
      return kind;
    };
  }
  if (value !== 'quorum' && value !== 'classic') {
    throw new RabbitBackendOptionError(
      'queueType',
      `expected 'quorum', 'classic' or a function, got ${String(value)}`,
    );
  }
  return () => value;
}

/** Validates `options` and fills in defaults; throws {@link RabbitBackendOptionError}. */
export function resolveOptions(options: RabbitBackendOptions): ResolvedRabbitOptions {
  if (typeof options?.url !== 'string' || !/^amqps?:\/\//i.test(options.url)) {
    throw new RabbitBackendOptionError(
      'url',
      `expected an amqp:// or amqps:// URL, got ${typeof options?.url === 'string' ? 'another scheme' : String(options?.url)}`,
    );
  }
  const store = options.store as Partial<Backend> | undefined;
  if (store === undefined || store === null || typeof store !== 'object') {
    throw new RabbitBackendOptionError(
      'store',
      'expected a Backend (e.g. createRedisBackend(...)), or ?store=<url-encoded backend URL> in the URL',
    );
  }
  for (const role of ROLES) {
    if (store[role] === undefined || store[role] === null) {
      throw new RabbitBackendOptionError('store', `the store has no '${role}' role object`);
    }
  }
  if (typeof store.ready !== 'function' || typeof store.close !== 'function') {
    throw new RabbitBackendOptionError('store', 'the store has no ready()/close() methods');
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new RabbitBackendOptionError(
      'prefix',
      'expected 1..64 characters of letters, digits, _ . : or -',
    );
  }
  const reconnectMinMs = int('reconnectMinMs', options.reconnectMinMs ?? 100, 1, 60_000);
  const reconnectMaxMs = int('reconnectMaxMs', options.reconnectMaxMs ?? 5000, 1, 600_000);
  if (reconnectMaxMs < reconnectMinMs) {
    throw new RabbitBackendOptionError('reconnectMaxMs', 'must be at least reconnectMinMs');
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new RabbitBackendOptionError('onError', 'expected a function');
  }
  return {
    url: options.url,
    store: store as Backend,
    ownsStore: options.ownsStore === true,
    prefix,
    queueType: queueTypeOf(options.queueType),
    deliveryLimit: int(
      'deliveryLimit',
      options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT,
      1,
      1_000_000,
    ),
    atLeastOnceDeadLetter: options.atLeastOnceDeadLetter === true,
    prefetch:
      options.prefetch === undefined ? undefined : int('prefetch', options.prefetch, 1, 65_535),
    sweepIntervalMs: int(
      'sweepIntervalMs',
      options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
      10,
      3_600_000,
    ),
    sweepBatch: int('sweepBatch', options.sweepBatch ?? 500, 1, 100_000),
    reconnectMinMs,
    reconnectMaxMs,
    publishTimeoutMs: int('publishTimeoutMs', options.publishTimeoutMs ?? 5000, 0, 600_000),
    onError: options.onError ?? throttledWarn(),
  };
}
