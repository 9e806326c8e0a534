/**
 * The job hash. Fields (few and short: a small hash is a listpack scanned linearly, and every
 * field a script reads or writes is converted to and from Lua):
 * - i: the immutable part packed by the client (name, opts, payload, priority, lifo;
 *   see `packJob` in codec.ts), never parsed by Lua;
 * - k: retention "complete|fail", each "age:count" (-1 = unset) or "" (keep all);
 * - ws: score in the waiting zset (fixed at add); ct createdAt; dd dedupId;
 * - s state, ra runAt, am attemptsMade, as attemptsStarted, st stalls (absent = 0),
 *   pg progress, rv result, er error (JSON), sa startedAt, psa startedAt before the
 *   current lease, fa finishedAt, wk workerId, le leaseExpiresAt, tk lease token,
 *   cr cancelRequested. A lease ends by setting tk to '' (the fence); wk and le are
 *   left behind and read only while the state is active.
 */

/** Job hash fields a full read returns, in the order `decodeJob` (codec.ts) expects. */
export const JOB_FIELD_NAMES = [
  'i',
  's',
  'ct',
  'dd',
  'am',
  'as',
  'st',
  'pg',
  'rv',
  'er',
  'ra',
  'sa',
  'fa',
  'wk',
  'le',
  'cr',
] as const;

/**
 * Fields `reserve` returns per leased job, in the order `decodeLeased` expects: a full
 * read without the state, worker and lease expiry (the caller knows them) and finishedAt
 * (a leased job has none). `sa` is the previous startedAt; `as` is already incremented.
 */
export const LEASED_FIELD_NAMES: readonly string[] = JOB_FIELD_NAMES.filter(
  (f) => f !== 's' && f !== 'fa' && f !== 'wk' && f !== 'le',
);
