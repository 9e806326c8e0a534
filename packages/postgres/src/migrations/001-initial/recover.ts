import { STALLED_ERROR } from '@mq/core/backend-kit';
import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';
import { countDeltas, INLINE_COUNTS, NOW_CLOCK, PINNED_PLANS } from './shared.js';

const STALLED_SQL = quoteLiteral(JSON.stringify(STALLED_ERROR));

/** Stalled recovery in one statement: expired leases back to waiting, or failed past maxStalls. */
export function recover(n: SchemaNames): string {
  const body = `
DECLARE${INLINE_COUNTS}
  v_now bigint := ${NOW_CLOCK};
  v_fc integer; v_fa bigint; v_any_f boolean; v_wake boolean; v_trimmed integer;
  v_ids text[]; v_outcomes text[];
BEGIN
  WITH e AS (
    SELECT j.ctid AS tid FROM ${n.jobs} j
    WHERE j.queue = p_queue AND j.state = 'active' AND j.lease_expires_at < v_now
    ORDER BY j.lease_expires_at LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  ), gone AS (
    -- Rows locked by e: fetched again by ctid, which their lock keeps stable.
    DELETE FROM ${n.jobs} j
    WHERE j.ctid = ANY(ARRAY(SELECT tid FROM e)) AND j.stalls + 1 > p_max_stalls
      AND j.keep_failed_count = -1
    RETURNING j.id, 'failed'::text AS outcome, j.dedup_id, j.keep_failed_count AS kfc,
      j.keep_failed_age AS kfa
  ), upd AS (
    UPDATE ${n.jobs} j SET
      stalls = j.stalls + 1,
      state = CASE WHEN j.stalls + 1 > p_max_stalls THEN 'failed' ELSE 'waiting' END,
      error = CASE WHEN j.stalls + 1 > p_max_stalls THEN ${STALLED_SQL} ELSE j.error END,
      finished_at = CASE WHEN j.stalls + 1 > p_max_stalls THEN v_now END,
      token = NULL, worker_id = NULL, lease_expires_at = NULL
    WHERE j.ctid = ANY(ARRAY(SELECT tid FROM e))
      AND NOT (j.stalls + 1 > p_max_stalls AND coalesce(j.keep_failed_count = -1, false))
    RETURNING j.id, j.state AS outcome, j.dedup_id, j.keep_failed_count AS kfc,
      j.keep_failed_age AS kfa
  ), done AS (
    SELECT id, outcome, dedup_id, kfc, kfa FROM gone
    UNION ALL SELECT id, outcome, dedup_id, kfc, kfa FROM upd
  ), rel AS (
    -- Failed (or removed) jobs release the ttl-less dedup key they own.
    DELETE FROM ${n.dedup} d USING done u
    WHERE u.outcome = 'failed' AND u.dedup_id IS NOT NULL AND d.queue = p_queue
      AND d.key = ANY(ARRAY(SELECT x.dedup_id FROM done x WHERE x.dedup_id IS NOT NULL))
      AND d.key = u.dedup_id AND d.owner_id = u.id AND d.expires_at IS NULL
  ), cnt AS (
    ${countDeltas(
      n,
      `SELECT u.state, count(*) AS n FROM (SELECT outcome AS state FROM upd) u
      GROUP BY u.state UNION ALL SELECT 'active', -count(*) FROM done`,
    )}
  )
  SELECT array_agg(id), array_agg(outcome), bool_or(outcome = 'failed'),
    min(kfc) FILTER (WHERE outcome = 'failed' AND kfc >= 0),
    min(kfa) FILTER (WHERE outcome = 'failed'), bool_or(outcome = 'waiting')
  INTO v_ids, v_outcomes, v_any_f, v_fc, v_fa, v_wake FROM done;
  IF v_wake THEN PERFORM pg_notify(${quoteLiteral(n.jobsChannel)}, p_queue); END IF;
  IF v_any_f AND (v_fc IS NOT NULL OR v_fa IS NOT NULL) THEN
    v_trimmed := ${n.fn('trim_finished')}(p_queue, 'failed', v_fc, v_fa, v_now, 0);
    IF v_trimmed > 0 THEN
      INSERT INTO ${n.counts} AS c (queue, state, shard, n)
      VALUES (p_queue, 'failed', pg_backend_pid(), -v_trimmed)
      ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
  END IF;
  -- Periodic housekeeping rides on this periodic call: fold the per-backend counter rows
  -- (one per connection that ever wrote) before they pile up.
  IF (SELECT count(*) FROM ${n.counts} c WHERE c.queue = p_queue) > 64 THEN
    PERFORM ${n.fn('compact_counts')}(p_queue);
  END IF;
  RETURN QUERY SELECT x.id, x.outcome FROM unnest(v_ids, v_outcomes) AS x(id, outcome);
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('recover')}(p_queue text, p_max_stalls integer, p_limit integer)
RETURNS TABLE (r_id text, r_outcome text) LANGUAGE plpgsql ${PINNED_PLANS}
AS ${dollarQuote(body)};`;
}
