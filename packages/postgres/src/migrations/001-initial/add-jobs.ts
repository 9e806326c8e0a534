import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';
import { countDeltas, INLINE_COUNTS } from './shared.js';

const NOW = `floor(extract(epoch FROM now()) * 1000)::bigint`;

/**
 * The bulk add without dedup: one INSERT for the batch, a custom id that exists is skipped
 * (`ON CONFLICT DO NOTHING` on the primary key) and reported as not added. Counts inline
 * and wakes the queue's waiters (on commit, when it runs inside the caller's transaction).
 */
export function addJobs(n: SchemaNames): string {
  const body = `
DECLARE${INLINE_COUNTS}
BEGIN
  RETURN QUERY
  WITH input AS (
    SELECT t.*, ${n.nextJobSeq} AS seq
    FROM unnest(p_ids, p_names, p_payloads, p_priorities, p_lifos, p_delays, p_opts,
      p_kca, p_kcc, p_kfa, p_kfc)
      WITH ORDINALITY AS t(id, name, payload, priority, lifo, delay, opts, kca, kcc, kfa, kfc, i)
  ), ins AS (
    INSERT INTO ${n.jobs} (queue, id, seq, ord, state, name, payload, priority, lifo, opts,
      keep_completed_age, keep_completed_count, keep_failed_age, keep_failed_count,
      created_at, run_at)
    SELECT p_queue, coalesce(x.id, x.seq::text), x.seq, CASE WHEN x.lifo THEN -x.seq ELSE x.seq END,
      CASE WHEN x.delay > 0 THEN 'delayed' ELSE 'waiting' END, x.name, x.payload, x.priority,
      x.lifo, x.opts, x.kca, x.kcc, x.kfa, x.kfc, ${NOW}, ${NOW} + greatest(x.delay, 0)
    FROM input x ORDER BY x.i
    ON CONFLICT (queue, id) DO NOTHING
    RETURNING seq, state
  ), cnt AS (
    ${countDeltas(n, 'SELECT ins.state, count(*) AS n FROM ins GROUP BY ins.state')}
  )
  SELECT coalesce(x.id, x.seq::text), (ins.seq IS NOT NULL)
  FROM input x LEFT JOIN ins ON ins.seq = x.seq ORDER BY x.i;
  PERFORM pg_notify(${quoteLiteral(n.jobsChannel)}, p_queue);
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('add_jobs')}(p_queue text, p_ids text[], p_names text[],
  p_payloads text[], p_priorities integer[], p_lifos boolean[], p_delays bigint[],
  p_opts text[], p_kca bigint[], p_kcc integer[], p_kfa bigint[], p_kfc integer[])
RETURNS TABLE (r_id text, r_added boolean) LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS ${dollarQuote(body)};`;
}
