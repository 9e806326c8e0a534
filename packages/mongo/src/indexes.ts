import type { Collection, IndexDescription } from 'mongodb';
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
  await ensure(ctx.jobs, [
    { key: { q: 1, st: 1, pri: -1, ord: 1 }, name: 'claim' },
    { key: { q: 1, st: 1, runAt: 1 }, name: 'due' },
    { key: { q: 1, st: 1, fs: 1 }, name: 'finished' },
    { key: { q: 1, st: 1, leaseExp: 1 }, name: 'leases' },
  ]);
  await ensure(ctx.events, [{ key: { q: 1, seq: 1 }, name: 'seq', unique: true }]);
}

/**
 * Creates the indexes of `specs` that are missing. Asking for existing ones again is
 * a no-op on MongoDB, but FerretDB 1.24 drops the connection on it (a server panic).
 */
// biome-ignore lint/suspicious/noExplicitAny: any collection
async function ensure(coll: Collection<any>, specs: IndexDescription[]): Promise<void> {
  let have: Set<string>;
  try {
    have = new Set((await coll.listIndexes().toArray()).map((i) => String(i.name)));
  } catch (err) {
    // A collection that does not exist yet has no indexes (NamespaceNotFound).
    if ((err as { code?: number }).code !== 26) throw err;
    have = new Set();
  }
  const missing = specs.filter((s) => !have.has(s.name as string));
  if (missing.length > 0) await coll.createIndexes(missing);
}
