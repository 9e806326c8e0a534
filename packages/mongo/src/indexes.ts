import type { MongoContext } from './context.js';

/**
 * The indexes, each matching a hot filter and sort exactly (see the README):
 * - jobs `{q, st, pri: -1, ord}`: the claim (`st: queued`, `runAt <= now`, sorted by
 *   priority then add order) and the waiting list;
 * - jobs `{q, st, runAt}`: waiting/delayed counts, the next due time, the delayed list;
 * - jobs `{q, st, fs}`: finished lists, retention by count and age, clean;
 * - jobs `{q, st, leaseExp}`: stalled recovery;
 * - events `{q, seq}` (unique): subscriptions read by sequence number.
 * Job ids, dedup keys, locks, schedules and workers are unique by `_id`.
 */
export async function createIndexes(ctx: MongoContext): Promise<void> {
  await ctx.jobs.createIndexes([
    { key: { q: 1, st: 1, pri: -1, ord: 1 }, name: 'claim' },
    { key: { q: 1, st: 1, runAt: 1 }, name: 'due' },
    { key: { q: 1, st: 1, fs: 1 }, name: 'finished' },
    { key: { q: 1, st: 1, leaseExp: 1 }, name: 'leases' },
  ]);
  await ctx.events.createIndexes([{ key: { q: 1, seq: 1 }, name: 'seq', unique: true }]);
}
