/**
 * The key layout. Every key of a queue starts with `<prefix>:{<queue>}:` so the whole
 * queue hashes to one Redis Cluster slot and every script touches a single slot.
 * Cross-queue keys (registry, workers, locks) live outside any queue's tag.
 */

/** Names of the per-queue keys every queue script receives, in `KEYS` order. */
export const QUEUE_KEY_NAMES = [
  'meta',
  'wait',
  'delayed',
  'active',
  'completed',
  'failed',
  'marker',
  'rl',
  'scheds',
  'events',
  'ids',
] as const;

/** One of {@link QUEUE_KEY_NAMES}. */
export type QueueKeyName = (typeof QUEUE_KEY_NAMES)[number];

/** The keys of one queue: `base` for job/log/dedup/schedule keys, `list` for scripts. */
export interface QueueKeys {
  /** `<prefix>:{<queue>}:`; scripts derive per-job keys from it. */
  readonly base: string;
  /** Full key names in {@link QUEUE_KEY_NAMES} order. */
  readonly list: readonly string[];
  /** A key by name. */
  readonly key: Readonly<Record<QueueKeyName, string>>;
}

/** Builds and caches the key names of each queue for one prefix. */
export class KeySpace {
  private readonly cache = new Map<string, QueueKeys>();

  constructor(readonly prefix: string) {}

  /** The keys of `queue` (cached: the hot path builds no strings). */
  queue(queue: string): QueueKeys {
    let keys = this.cache.get(queue);
    if (keys === undefined) {
      const base = `${this.prefix}:{${queue}}:`;
      const key = {} as Record<QueueKeyName, string>;
      for (const name of QUEUE_KEY_NAMES) key[name] = base + name;
      keys = { base, list: QUEUE_KEY_NAMES.map((n) => key[n]), key };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(queue, keys);
    }
    return keys;
  }

  /** The key of job `id` of `queue`. */
  job(queue: string, id: string): string {
    return `${this.queue(queue).base}j:${id}`;
  }

  /** The log list of job `id`. */
  logs(queue: string, id: string): string {
    return `${this.queue(queue).base}l:${id}`;
  }

  /** The set of queue names this prefix has held data for. */
  get registry(): string {
    return `${this.prefix}:queues`;
  }

  /** The worker registry's expiry index (one slot: the `{workers}` tag). */
  get workerIndex(): string {
    return `${this.prefix}:{workers}:idx`;
  }

  /** The entry of worker `id`. */
  worker(id: string): string {
    return `${this.prefix}:{workers}:w:${id}`;
  }

  /** Coordination lock `name`. */
  lock(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }
}
