import { CANCELLED_ERROR } from '@mq/core/backend-kit';
import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';
import { INLINE_COUNTS, NOW_CLOCK, PINNED_PLANS } from './shared.js';

const CANCELLED_SQL = quoteLiteral(JSON.stringify(CANCELLED_ERROR));

/** Cancels one job: waiting/delayed ones fail at once, active ones are flagged. */
export function cancel(n: SchemaNames): string {
  const body = `
DECLARE${INLINE_COUNTS}
  v_now bigint := ${NOW_CLOCK};
  j record;
  v_trimmed integer;
BEGIN
  SELECT x.state, x.dedup_id, x.keep_failed_count, x.keep_failed_age INTO j FROM ${n.jobs} x
  WHERE x.queue = p_queue AND x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN RETURN 'not-cancellable'; END IF;
  IF j.state = 'active' THEN
    UPDATE ${n.jobs} x SET cancel_requested = true WHERE x.queue = p_queue AND x.id = p_id;
    RETURN 'signalled';
  END IF;
  IF j.state NOT IN ('waiting', 'delayed') THEN RETURN 'not-cancellable'; END IF;
  -- Counted inline (this function sets mq.inline_counts): one job leaves its state.
  INSERT INTO ${n.counts} AS c (queue, state, shard, n)
  VALUES (p_queue, j.state, pg_backend_pid(), -1)
  ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  IF j.dedup_id IS NOT NULL THEN
    DELETE FROM ${n.dedup} d WHERE d.queue = p_queue AND d.key = j.dedup_id
      AND d.owner_id = p_id AND d.expires_at IS NULL;
  END IF;
  IF j.keep_failed_count = -1 THEN
    DELETE FROM ${n.jobs} x WHERE x.queue = p_queue AND x.id = p_id;
    RETURN 'cancelled';
  END IF;
  UPDATE ${n.jobs} x SET state = 'failed', error = ${CANCELLED_SQL}, finished_at = v_now
  WHERE x.queue = p_queue AND x.id = p_id;
  INSERT INTO ${n.counts} AS c (queue, state, shard, n)
  VALUES (p_queue, 'failed', pg_backend_pid(), 1)
  ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  IF j.keep_failed_count IS NOT NULL OR j.keep_failed_age IS NOT NULL THEN
    v_trimmed := ${n.fn('trim_finished')}(p_queue, 'failed', j.keep_failed_count,
      j.keep_failed_age, v_now, 0);
    IF v_trimmed > 0 THEN
      INSERT INTO ${n.counts} AS c (queue, state, shard, n)
      VALUES (p_queue, 'failed', pg_backend_pid(), -v_trimmed)
      ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
  END IF;
  RETURN 'cancelled';
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('cancel')}(p_queue text, p_id text)
RETURNS text LANGUAGE plpgsql ${PINNED_PLANS} AS ${dollarQuote(body)};`;
}
