import { dollarQuote, type SchemaNames } from '../../sql/ident.js';
import { PINNED_PLANS, jobOut, NOW_CLOCK } from './shared.js';

/**
 * The claim: ONE statement takes the best `v_allow` jobs among waiting ones and delayed
 * ones already due (so no scanner is needed), skipping rows other claimers hold.
 * Limited queues serialize on their `queues` row; plpgsql gives the statements after
 * that lock a fresh snapshot, so the active count and rate window are exact.
 */
export function claim(n: SchemaNames): string {
  const body = `
DECLARE
  q ${n.queues}%ROWTYPE;
  o ${n.s}.job_out;
  v_now bigint;
  v_allow integer := p_max;
  v_limited bigint;
  v_active bigint;
  v_n integer := 0;
BEGIN
  IF p_max <= 0 THEN RETURN; END IF;
  SELECT * INTO q FROM ${n.queues} WHERE name = p_queue;
  IF FOUND THEN
    IF q.paused THEN RETURN; END IF;
    IF q.rate_max IS NOT NULL OR q.concurrency IS NOT NULL THEN
      SELECT * INTO q FROM ${n.queues} WHERE name = p_queue FOR UPDATE;
      IF q.paused THEN RETURN; END IF;
    END IF;
  END IF;
  v_now := ${NOW_CLOCK};
  IF q.rate_max IS NOT NULL THEN
    IF v_now >= q.rate_window_start + q.rate_duration THEN
      q.rate_window_start := v_now; q.rate_count := 0;
    END IF;
    IF q.rate_max - q.rate_count < v_allow THEN
      v_allow := greatest(q.rate_max - q.rate_count, 0);
      v_limited := greatest(q.rate_window_start + q.rate_duration - v_now, 1);
    END IF;
  END IF;
  IF q.concurrency IS NOT NULL THEN
    SELECT coalesce(sum(c.n), 0) INTO v_active FROM ${n.counts} c
    WHERE c.queue = p_queue AND c.state = 'active';
    IF q.concurrency - v_active < v_allow THEN
      v_allow := greatest(q.concurrency - v_active, 0);
      v_limited := greatest(coalesce(v_limited, 0), 50);
    END IF;
  END IF;
  IF v_allow > 0 THEN
    RETURN QUERY
    WITH w AS (
      SELECT j.ctid AS tid, j.priority, j.ord FROM ${n.jobs} j
      WHERE j.queue = p_queue AND j.state = 'waiting'
      ORDER BY j.priority DESC, j.ord LIMIT v_allow
      FOR UPDATE SKIP LOCKED
    ), d AS (
      SELECT j.ctid AS tid, j.priority, j.ord FROM ${n.jobs} j
      WHERE j.queue = p_queue AND j.state = 'delayed' AND j.run_at <= v_now
      ORDER BY j.run_at LIMIT v_allow
      FOR UPDATE SKIP LOCKED
    ), pick AS (
      SELECT x.tid FROM (SELECT * FROM w UNION ALL SELECT * FROM d) x
      ORDER BY x.priority DESC, x.ord LIMIT v_allow
    ), c AS (
      -- The picked rows are locked by this statement, so their ctid cannot change under
      -- it: the update fetches them directly, with no second index lookup.
      UPDATE ${n.jobs} j SET state = 'active', attempts_started = j.attempts_started + 1,
        prev_started_at = j.started_at, started_at = v_now, worker_id = p_worker,
        lease_expires_at = v_now + p_lease_ms, token = gen_random_uuid()::text
      WHERE j.ctid = ANY(ARRAY(SELECT tid FROM pick))
      RETURNING j.*
    )
    SELECT ${jobOut('c')} FROM c ORDER BY c.priority DESC, c.ord;
    GET DIAGNOSTICS v_n = ROW_COUNT;
  END IF;
  IF q.rate_max IS NOT NULL THEN
    UPDATE ${n.queues} SET rate_window_start = q.rate_window_start, rate_count = q.rate_count + v_n
    WHERE name = p_queue;
  END IF;
  IF v_limited IS NOT NULL AND v_n >= v_allow THEN
    o.tag := 'limit'; o.limited_ms := v_limited;
    RETURN NEXT o;
  END IF;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('claim')}(p_queue text, p_max integer, p_lease_ms bigint, p_worker text)
RETURNS SETOF ${n.s}.job_out LANGUAGE plpgsql ${PINNED_PLANS} AS ${dollarQuote(body)};`;
}
