import type { SuiteEnv } from './env.js';

/**
 * Skips a test that races concurrent writers on one record (compare-and-set chains,
 * a lease extension against a settlement) where the backend declares
 * `atomicUpdates: false` — its store cannot give that result. Absent means atomic.
 */
export function skipWithoutAtomicUpdates(
  env: SuiteEnv,
  ctx: { skip(cond: boolean, note: string): void },
): void {
  ctx.skip(
    env.capabilities.atomicUpdates === false,
    'backend declares atomicUpdates: false (concurrent writes to one record are not atomic on its store)',
  );
}
