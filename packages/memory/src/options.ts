import { MemoryBackendOptionError } from './errors.js';

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /**
   * Events kept per queue for `subscribe(..., fromId)` replay; older ones are dropped.
   * A non-negative integer. Default 10,000.
   */
  eventHistory?: number;
  /**
   * The clock every timestamp, delay, lease and ttl is measured with (ms epoch). Inject
   * one in tests to move time without sleeping. It must never go backwards. Default
   * `Date.now`. Timers of `waitForWork` still run on real time.
   */
  now?: () => number;
}

/** Options with every default filled in. */
export interface ResolvedMemoryOptions {
  eventHistory: number;
  now: () => number;
}

/** Default of {@link MemoryBackendOptions.eventHistory}. */
export const DEFAULT_EVENT_HISTORY = 10_000;

/** Validates `options` and fills in defaults; throws {@link MemoryBackendOptionError}. */
export function resolveOptions(options: MemoryBackendOptions = {}): ResolvedMemoryOptions {
  const eventHistory = options.eventHistory ?? DEFAULT_EVENT_HISTORY;
  if (!Number.isSafeInteger(eventHistory) || eventHistory < 0) {
    throw new MemoryBackendOptionError(
      'eventHistory',
      `expected an integer >= 0, got ${String(eventHistory)}`,
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new MemoryBackendOptionError('now', 'expected a function returning ms since the epoch');
  }
  return { eventHistory, now };
}
