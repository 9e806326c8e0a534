import { dollarQuote, type SchemaNames } from '../../sql/ident.js';
import { countDeltas, INLINE_COUNTS, jobOut, NOW_CLOCK, PINNED_PLANS } from './shared.js';

/** Variables the claim statements use; declared by `claim` and by `settle`, which inlines it. */
export function claimDeclarations(n: SchemaNames): string {
  return `
  v_q ${n.queues}%ROWTYPE;
  v_limit_row ${n.s}.job_out;
  v_claim_now bigint;
  v_allow integer;
  v_limited bigint;
  v_active bigint;
  v_n integer := 0;`;
}

/**
 * The claim, as plpgsql statements over `v_max` (jobs wanted), `p_queue`, `p_lease_ms` and
 * `p_worker`. `v_pend_states` / `v_pend_deltas` are counter changes the caller made and
 * has not written yet: the claim statement writes them with its own, in one upsert
 * (settle passes its batch's, the standalone claim none).
 *
 * ONE statement takes the best `v_allow` jobs among waiting ones and delayed ones already
 * due (so no scanner is needed), skipping rows other claimers hold. Limited queues
 * serialize on their `queues` row; plpgsql gives the statements after that lock a fresh
 * snapshot, so the active count and rate window are exact.
 */
export function claimStatements(n: SchemaNames): string {
  const pending = `SELECT p.s AS state, p.d AS n
        FROM unnest(v_pend_states, v_pend_deltas) AS p(s, d)`;
  return `
  v_allow := greatest(v_max, 0);
  IF v_allow > 0 THEN
    SELECT * INTO v_q FROM ${n.queues} WHERE name = p_queue;
    IF v_q.paused THEN
      v_allow := 0;
    ELSIF v_q.rate_max IS NOT NULL OR v_q.concurrency IS NOT NULL THEN
      SELECT * INTO v_q FROM ${n.queues} WHERE name = p_queue FOR UPDATE;
      IF v_q.paused THEN v_allow := 0; END IF;
    END IF;
  END IF;
  v_claim_now := ${NOW_CLOCK};
  IF v_allow > 0 AND v_q.rate_max IS NOT NULL THEN
    IF v_claim_now >= v_q.rate_window_start + v_q.rate_duration THEN
      v_q.rate_window_start := v_claim_now; v_q.rate_count := 0;
    END IF;
    IF v_q.rate_max - v_q.rate_count < v_allow THEN
      v_allow := greatest(v_q.rate_max - v_q.rate_count, 0);
      v_limited := greatest(v_q.rate_window_start + v_q.rate_duration - v_claim_now, 1);
    END IF;
  END IF;
  IF v_allow > 0 AND v_q.concurrency IS NOT NULL THEN
    SELECT coalesce(sum(c.n), 0) INTO v_active FROM ${n.counts} c
    WHERE c.queue = p_queue AND c.state = 'active';
    -- The caller's settled jobs left 'active' already, even if not yet written.
    v_active := v_active + coalesce((SELECT sum(p.d) FROM unnest(v_pend_states, v_pend_deltas)
      AS p(s, d) WHERE p.s = 'active'), 0);
    IF v_q.concurrency - v_active < v_allow THEN
      v_allow := greatest(v_q.concurrency - v_active, 0);
      v_limited := greatest(coalesce(v_limited, 0), 50);
    END IF;
  END IF;
  IF v_allow > 0 THEN
    RETURN QUERY
    WITH w AS (
      SELECT j.ctid AS tid, j.id, j.priority, j.ord, 'waiting'::text AS src FROM ${n.jobs} j
      WHERE j.queue = p_queue AND j.state = 'waiting'
      ORDER BY j.priority DESC, j.ord LIMIT v_allow
      FOR UPDATE SKIP LOCKED
    ), d AS (
      SELECT j.ctid AS tid, j.id, j.priority, j.ord, 'delayed'::text AS src FROM ${n.jobs} j
      WHERE j.queue = p_queue AND j.state = 'delayed' AND j.run_at <= v_claim_now
      ORDER BY j.run_at LIMIT v_allow
      FOR UPDATE SKIP LOCKED
    ), pick AS (
      SELECT x.tid, x.id, x.src FROM (SELECT * FROM w UNION ALL SELECT * FROM d) x
      ORDER BY x.priority DESC, x.ord LIMIT v_allow
    ), c AS (
      -- The picked rows are locked by this statement, so their ctid cannot change under
      -- it: the update fetches them directly, with no second index lookup.
      UPDATE ${n.jobs} j SET state = 'active', attempts_started = j.attempts_started + 1,
        prev_started_at = j.started_at, started_at = v_claim_now, worker_id = p_worker,
        lease_expires_at = v_claim_now + p_lease_ms, token = gen_random_uuid()::text
      WHERE j.ctid = ANY(ARRAY(SELECT tid FROM pick))
      RETURNING j.*
    ), cnt AS (
      ${countDeltas(
        n,
        `SELECT 'active' AS state, count(*) AS n FROM c
        UNION ALL SELECT p.src, -count(*) FROM pick p GROUP BY p.src
        UNION ALL ${pending}`,
      )}
    )
    SELECT ${jobOut('c')} FROM c ORDER BY c.priority DESC, c.ord;
    GET DIAGNOSTICS v_n = ROW_COUNT;
  ELSIF cardinality(v_pend_states) > 0 THEN
    WITH cnt AS (${countDeltas(n, pending)}) SELECT 1 INTO v_n;
    v_n := 0;
  END IF;
  -- Only grants change the window (a rolled-over window is recomputed by the next claim).
  IF v_q.rate_max IS NOT NULL AND v_n > 0 THEN
    UPDATE ${n.queues} SET rate_window_start = v_q.rate_window_start, rate_count = v_q.rate_count + v_n
    WHERE name = p_queue;
  END IF;
  IF v_limited IS NOT NULL AND v_n >= v_allow THEN
    v_limit_row.tag := 'limit'; v_limit_row.limited_ms := v_limited;
    RETURN NEXT v_limit_row;
  END IF;`;
}

/** `reserve`: the claim for the client, with the pinned plan settings and inline counting. */
export function claim(n: SchemaNames): string {
  const body = `
DECLARE${INLINE_COUNTS}${claimDeclarations(n)}
  v_max integer := p_max;
  v_pend_states text[] := '{}';
  v_pend_deltas bigint[] := '{}';
BEGIN${claimStatements(n)}
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('claim')}(p_queue text, p_max integer, p_lease_ms bigint, p_worker text)
RETURNS SETOF ${n.s}.job_out LANGUAGE plpgsql ${PINNED_PLANS}
AS ${dollarQuote(body)};`;
}
