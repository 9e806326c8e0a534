import type { Backend } from '@mq/core';
import { ConformanceOptionError } from './errors.js';

/**
 * The concerns of the suite, one `describe` block each. These are the names `skip`
 * accepts.
 */
export const CONCERNS = [
  'lifecycle',
  'fencing',
  'stalls',
  'ordering',
  'delays',
  'idempotency',
  'deduplication',
  'pause',
  'administration',
  'retention',
  'repeatable-storage',
  'locks',
  'events',
  'workers',
  'bad-input',
  'limits',
  'typed-tasks',
  'global-limits',
  'timeout',
  'cancellation',
  'backoff',
  'unrecoverable',
  'close',
  'capabilities',
  'resilience',
  'storage-limits',
] as const;

/** One concern of the suite. */
export type ConcernName = (typeof CONCERNS)[number];

/** Time knobs: short values keep time-dependent tests fast. */
export interface ConformanceTiming {
  /**
   * Lease length given to workers, in ms. Workers renew every `leaseMs / 2`, so a
   * cancellation reaches a processor within about half of it. At least 50. Default 300.
   */
  leaseMs?: number;
  /**
   * The backend's reaction granularity, in ms: the longest it may take to notice work it
   * is not pushed (its polling interval, if it polls). Wake-up bounds allow `5 × tickMs`.
   * Default 25.
   */
  tickMs?: number;
  /**
   * Extra tolerance added to every upper time bound, for scheduler noise on a busy
   * machine (and clock skew between the test process and a store's clock). Default 200.
   */
  slackMs?: number;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Shown in the describe titles. */
  name: string;
  /**
   * Returns a fresh Backend on the same store. The suite calls `ready()` on each one and
   * closes every backend it created in `afterAll`. Called once for the tests, and once
   * more per cross-process test (gated on `distributedLocks`, `distributedEvents`,
   * `distributedSchedules`).
   */
  createBackend: () => Backend | Promise<Backend>;
  /** Short leases and intervals; see {@link ConformanceTiming} for the defaults. */
  timing?: ConformanceTiming;
  /**
   * Concerns (see {@link CONCERNS}) to skip. Justify each one with a comment at the call
   * site; prefer declaring a capability as false over skipping. Default none.
   */
  skip?: string[];
}

/** Timing with every default filled in. */
export type ResolvedTiming = Required<ConformanceTiming>;

/** Options with every default filled in. */
export interface ResolvedOptions {
  name: string;
  createBackend: () => Backend | Promise<Backend>;
  timing: ResolvedTiming;
  skip: ReadonlySet<ConcernName>;
}

/** Default of {@link ConformanceTiming.leaseMs}. */
export const DEFAULT_LEASE_MS = 300;
/** Default of {@link ConformanceTiming.tickMs}. */
export const DEFAULT_TICK_MS = 25;
/** Default of {@link ConformanceTiming.slackMs}. */
export const DEFAULT_SLACK_MS = 200;

function positiveInt(option: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConformanceOptionError(option, `expected an integer >= ${min}, got ${value}`);
  }
  return value;
}

function isConcern(name: string): name is ConcernName {
  return (CONCERNS as readonly string[]).includes(name);
}

/** Validates `options` and fills in defaults; throws {@link ConformanceOptionError}. */
export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw new ConformanceOptionError('name', 'expected a non-empty string');
  }
  if (typeof options.createBackend !== 'function') {
    throw new ConformanceOptionError('createBackend', 'expected a function returning a Backend');
  }
  const t = options.timing ?? {};
  // Worker options refuse leases under 50 ms.
  const timing: ResolvedTiming = {
    leaseMs: positiveInt('timing.leaseMs', t.leaseMs ?? DEFAULT_LEASE_MS, 50),
    tickMs: positiveInt('timing.tickMs', t.tickMs ?? DEFAULT_TICK_MS, 1),
    slackMs: positiveInt('timing.slackMs', t.slackMs ?? DEFAULT_SLACK_MS, 0),
  };
  const skip = new Set<ConcernName>();
  for (const name of options.skip ?? []) {
    // A typo would silently run the concern the caller meant to skip (or vice versa).
    if (!isConcern(name)) {
      throw new ConformanceOptionError(
        'skip',
        `unknown concern "${name}"; known: ${CONCERNS.join(', ')}`,
      );
    }
    skip.add(name);
  }
  return { name: options.name, createBackend: options.createBackend, timing, skip };
}
