import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';
import { claimDeclarations, claimStatements } from './claim.js';
import { INLINE_COUNTS, NOW_CLOCK, PINNED_PLANS, tagRow } from './shared.js';

/**
 * Retention of one finished state: keep at most `p_count` and delete those finished
 * before `p_now - p_age`, at most 1000 rows per call; returns how many it deleted. It
 * writes no counters: the caller adds `-deleted` to its own pending ones, and passes
 * `p_pending`, the jobs it moved into the state and has not counted yet. Both limits cut
 * a prefix of the same order (oldest first), so ONE delete takes the union of the two
 * prefixes: a second statement would cost another executor start and trigger call on
 * every settle. A null limit picks nothing (`LIMIT 0`, `< NULL`). Literal states in each
 * branch let the planner use the partial indexes; the rows are locked by the picking
 * statement, so they are deleted by ctid without a second index lookup. Only called from
 * functions that pin plans and count inline (settle, recover, cancel).
 */
export function trimFinished(n: SchemaNames): string {
  const branch = (state: string) => `
    WITH by_count AS (
      SELECT x.ctid AS tid FROM ${n.jobs} x WHERE x.queue = p_queue AND x.state = '${state}'
      ORDER BY x.finished_at, x.seq
      LIMIT least(greatest(p_pending - p_count + (SELECT coalesce(sum(c.n), 0)
        FROM ${n.counts} c WHERE c.queue = p_queue AND c.state = '${state}'), 0), 1000)
      FOR UPDATE SKIP LOCKED
    ), by_age AS (
      SELECT x.ctid AS tid FROM ${n.jobs} x WHERE x.queue = p_queue AND x.state = '${state}'
        AND x.finished_at < p_now - p_age
      ORDER BY x.finished_at, x.seq LIMIT 1000 FOR UPDATE SKIP LOCKED
    ), del AS (
      DELETE FROM ${n.jobs} j
      WHERE j.ctid = ANY(ARRAY(SELECT tid FROM by_count UNION SELECT tid FROM by_age LIMIT 1000))
      RETURNING 1
    )
    SELECT count(*) INTO v_deleted FROM del;`;
  const body = `
DECLARE
  v_deleted integer := 0;
BEGIN
  -- A negative count is not a limit (callers pass only counts >= 0; this keeps it so).
  IF p_count < 0 THEN p_count := NULL; END IF;
  IF p_state = 'completed' THEN ${branch('completed')}
  ELSE ${branch('failed')}
  END IF;
  RETURN v_deleted;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('trim_finished')}(p_queue text, p_state text, p_count integer,
  p_age bigint, p_now bigint, p_pending bigint)
RETURNS integer LANGUAGE plpgsql AS ${dollarQuote(body)};`;
}

/**
 * Settles a batch in one call: every outcome fenced by its token. A token is set only by
 * the claim and cleared by every transition out of 'active', so `token = $t` implies
 * the job is active with that lease — and keeps each lookup on the primary key. Retention
 * then runs once per finished state, as its own statement so that it sees (and may trim)
 * the jobs this batch just finished; then, with p_next_max > 0, the claim of the next batch.
 */
export function settle(n: SchemaNames): string {
  const channel = quoteLiteral(n.jobsChannel);
  // Jobs whose policy is `true` (-1) are deleted as they finish instead of updated.
  const removeNow = `coalesce((v.kind = 'completed' AND j.keep_completed_count = -1)
      OR (v.kind = 'failed' AND j.keep_failed_count = -1), false)`;
  const outcomes = `o AS (
    SELECT * FROM unnest(p_ids, p_tokens, p_kinds, p_results, p_run_ats, p_errors)
      WITH ORDINALITY AS o(id, token, kind, result, run_at, error, i)
  ), first AS (
    -- Outcomes apply in order: a second outcome for the same job finds it settled (lost).
    SELECT DISTINCT ON (o.id) o.* FROM o ORDER BY o.id, o.i
  )`;
  const body = `
DECLARE${INLINE_COUNTS}
  v_now bigint := ${NOW_CLOCK};
  v_ok integer[];
  v_rel_ids text[]; v_rel_keys text[];
  v_gone integer[];
  v_cc integer; v_ca bigint; v_fc integer; v_fa bigint;
  v_wake boolean;
  -- This call's counter changes, written once, with the claim's (see claimStatements).
  v_c bigint; v_f bigint; v_w bigint; v_d bigint; v_u bigint; v_g bigint := 0;
  v_max integer := p_next_max;
  v_pend_states text[];
  v_pend_deltas bigint[];${claimDeclarations(n)}
BEGIN
  WITH ${outcomes}, upd AS (
    UPDATE ${n.jobs} j SET
      state = CASE v.kind WHEN 'completed' THEN 'completed' WHEN 'failed' THEN 'failed'
        WHEN 'retry' THEN CASE WHEN v.run_at <= v_now THEN 'waiting' ELSE 'delayed' END
        ELSE 'waiting' END,
      attempts_made = j.attempts_made + CASE WHEN v.kind = 'released' THEN 0 ELSE 1 END,
      attempts_started = j.attempts_started - CASE WHEN v.kind = 'released' THEN 1 ELSE 0 END,
      result = CASE WHEN v.kind = 'completed' THEN v.result ELSE j.result END,
      error = CASE WHEN v.kind IN ('retry', 'failed') THEN v.error ELSE j.error END,
      finished_at = CASE WHEN v.kind IN ('completed', 'failed') THEN v_now END,
      run_at = CASE WHEN v.kind = 'retry' THEN v.run_at ELSE j.run_at END,
      -- A lease handed back unused leaves no trace: the previous start time returns.
      started_at = CASE WHEN v.kind = 'released' THEN j.prev_started_at ELSE j.started_at END,
      token = NULL, worker_id = NULL, lease_expires_at = NULL, cancel_requested = false
    FROM first v
    WHERE j.queue = p_queue AND j.id = ANY(p_ids) AND j.id = v.id AND j.token = v.token
      AND NOT ${removeNow}
    RETURNING v.i, v.kind, j.id, j.state, j.dedup_id, j.keep_completed_count AS kcc,
      j.keep_completed_age AS kca, j.keep_failed_count AS kfc, j.keep_failed_age AS kfa
  )
  SELECT array_agg(upd.i::integer),
    array_agg(upd.id) FILTER (WHERE upd.dedup_id IS NOT NULL AND upd.kind IN ('completed', 'failed')),
    array_agg(upd.dedup_id) FILTER (WHERE upd.dedup_id IS NOT NULL AND upd.kind IN ('completed', 'failed')),
    min(kcc) FILTER (WHERE state = 'completed' AND kcc >= 0),
    min(kca) FILTER (WHERE state = 'completed'),
    min(kfc) FILTER (WHERE state = 'failed' AND kfc >= 0),
    min(kfa) FILTER (WHERE state = 'failed'),
    bool_or(state IN ('waiting', 'delayed')),
    count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE state = 'failed'),
    count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'delayed'),
    count(*)
  INTO v_ok, v_rel_ids, v_rel_keys, v_cc, v_ca, v_fc, v_fa, v_wake, v_c, v_f, v_w, v_d, v_u FROM upd;
  -- Finished jobs release the ttl-less dedup keys they own (rare: a statement of its own).
  IF v_rel_ids IS NOT NULL THEN
    DELETE FROM ${n.dedup} d USING unnest(v_rel_ids, v_rel_keys) AS r(id, key)
    WHERE d.queue = p_queue AND d.key = ANY(v_rel_keys) AND d.key = r.key AND d.owner_id = r.id
      AND d.expires_at IS NULL;
  END IF;
  -- Retried and released jobs are reservable (or have a due time): wake the waiters.
  IF v_wake THEN PERFORM pg_notify(${channel}, p_queue); END IF;

  -- Only when some outcome is still unmatched: jobs removed at once as they finish. The
  -- updated ones no longer hold their token, so nothing is applied twice.
  IF coalesce(cardinality(v_ok), 0) < cardinality(p_ids) THEN
    WITH ${outcomes}, gone AS (
      DELETE FROM ${n.jobs} j USING first v
      WHERE j.queue = p_queue AND j.id = ANY(p_ids) AND j.id = v.id AND j.token = v.token
        AND ${removeNow}
      RETURNING v.i, j.id, j.dedup_id
    ), rel AS (
      DELETE FROM ${n.dedup} d USING gone g
      WHERE g.dedup_id IS NOT NULL AND d.queue = p_queue
        AND d.key = ANY(ARRAY(SELECT x.dedup_id FROM gone x WHERE x.dedup_id IS NOT NULL))
        AND d.key = g.dedup_id AND d.owner_id = g.id AND d.expires_at IS NULL
    )
    SELECT array_agg(gone.i::integer), count(*) INTO v_gone, v_g FROM gone;
    v_ok := coalesce(v_ok, '{}') || coalesce(v_gone, '{}');
  END IF;

  RETURN QUERY SELECT ${tagRow(`'ok'`, 'x')} FROM unnest(v_ok) AS x;

  IF v_c > 0 AND (v_cc IS NOT NULL OR v_ca IS NOT NULL) THEN
    v_c := v_c - ${n.fn('trim_finished')}(p_queue, 'completed', v_cc, v_ca, v_now, v_c);
  END IF;
  IF v_f > 0 AND (v_fc IS NOT NULL OR v_fa IS NOT NULL) THEN
    v_f := v_f - ${n.fn('trim_finished')}(p_queue, 'failed', v_fc, v_fa, v_now, v_f);
  END IF;
  v_pend_states := ARRAY['completed', 'failed', 'waiting', 'delayed', 'active'];
  v_pend_deltas := ARRAY[v_c, v_f, v_w, v_d, -(v_u + v_g)];
  -- The next claim, inlined: it writes this call's counter changes with its own.
  ${claimStatements(n)}
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('settle')}(p_queue text, p_ids text[], p_tokens text[],
  p_kinds text[], p_results text[], p_run_ats bigint[], p_errors text[],
  p_next_max integer, p_lease_ms bigint, p_worker text)
RETURNS SETOF ${n.s}.job_out LANGUAGE plpgsql ${PINNED_PLANS}
AS ${dollarQuote(body)};`;
}
