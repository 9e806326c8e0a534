import type { SchemaNames } from '../../sql/ident.js';

/** The database clock as ms epoch, read when evaluated (functions take it once). */
export const NOW_CLOCK = `floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** Output columns of the `job_out` composite for a job row aliased `alias`. */
export function jobOut(alias: string, tag = `'job'`): string {
  const a = alias;
  return `${tag}::text, NULL::integer, NULL::bigint, ${a}.id, ${a}.state, ${a}.name, ${a}.payload,
    ${a}.priority, ${a}.lifo, ${a}.opts, ${a}.attempts_made, ${a}.attempts_started, ${a}.stalls,
    ${a}.dedup_id, ${a}.progress, ${a}.result, ${a}.error, ${a}.created_at, ${a}.run_at,
    ${a}.started_at, ${a}.finished_at, ${a}.worker_id, ${a}.lease_expires_at, ${a}.token,
    ${a}.cancel_requested`;
}

/** A `job_out` row with only `tag` and `i` set (settle results). */
export function tagRow(tag: string, i: string): string {
  return `${tag}::text, ${i}, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text,
    NULL::integer, NULL::boolean, NULL::text, NULL::integer, NULL::integer, NULL::integer,
    NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint,
    NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::boolean`;
}

/**
 * Planner settings of the hot-path functions, so that their plans never hinge on fresh
 * statistics. Right after a bulk load the statistics say a queue holds a few rows, and
 * generic plans then (measured at 1M waiting):
 * - take a bitmap scan of *every* waiting job plus a sort over the index scan that stops
 *   after `LIMIT` rows (1.2 s per claim instead of about 1 ms);
 * - join a batch to `jobs` with a nested loop whose inner index scan repeats the
 *   `id = ANY(batch)` array for every outer row (quadratic in the batch size).
 * With these off, every batch lookup is one index scan over `id = ANY(batch)` hashed
 * against the batch, and every ordered pick is an index scan with `LIMIT`. Since those
 * plans are right for any parameters, they are planned once per connection
 * (`force_generic_plan`): with the disabled node types costed as "never", the plan cache
 * otherwise judged its generic plans too dear and re-planned every statement on every
 * call — about 1 ms per settle, whatever the batch size.
 */
export const PINNED_PLANS =
  'SET enable_seqscan = off SET enable_bitmapscan = off SET enable_nestloop = off ' +
  'SET plan_cache_mode = force_generic_plan';

/**
 * The setting that tells the `jobs` triggers a statement counts its own changes. A
 * statement-level trigger plans its transition-table queries on every call (~75 µs), so
 * the hot-path functions update `counts` inline and, on entry, set this to the start
 * time of the client statement that called them (transaction-local). The triggers skip
 * a statement whose start time it holds, so the caller's next statement in the same
 * transaction — its own SQL next to a transactional enqueue — is counted by them again.
 * Every other writer — admin statements, the dedup add, your own SQL — is counted by the
 * triggers. (A function-level `SET` clause would restore it by itself, but PostgreSQL
 * lets only superusers put a custom setting in one, and production roles seldom are.)
 */
export const INLINE_COUNTS_SETTING = 'mq.inline_counts';

/** A DECLARE item of every hot-path function: turns inline counting on (see above). */
export const INLINE_COUNTS = `
  v_inline_counts text := set_config('${INLINE_COUNTS_SETTING}', statement_timestamp()::text, true);`;

/** True while the running statement counts inline (for the triggers). */
export const COUNTING_INLINE = `current_setting('${INLINE_COUNTS_SETTING}', true) = statement_timestamp()::text`;

/**
 * A data-modifying CTE body adding per-state deltas to this backend's counter rows.
 * `source` yields `(state, n)` rows for queue `p_queue`; zero nets are skipped.
 */
export function countDeltas(n: SchemaNames, source: string): string {
  return `INSERT INTO ${n.counts} AS c (queue, state, shard, n)
    SELECT p_queue, x.state, pg_backend_pid(), sum(x.n) FROM (${source}) x
    GROUP BY x.state HAVING sum(x.n) <> 0
    ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n`;
}
