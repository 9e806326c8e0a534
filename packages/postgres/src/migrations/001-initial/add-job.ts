import { dollarQuote, type SchemaNames } from '../../sql/ident.js';
import { NOW_CLOCK } from './shared.js';

/** One job, with jobId idempotency and every dedup mode; used for batches that need them. */
export function addJob(n: SchemaNames): string {
  const body = `
DECLARE
  v_now bigint := ${NOW_CLOCK};
  v_seq bigint;
  v_id text;
  k record;
  v_live boolean;
BEGIN
  IF p_id IS NOT NULL AND EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = p_queue AND j.id = p_id) THEN
    r_status := 'duplicate'; r_id := p_id; RETURN;
  END IF;
  v_seq := ${n.nextJobSeq};
  v_id := coalesce(p_id, v_seq::text);
  IF p_dedup IS NOT NULL THEN
    LOOP
      SELECT d.owner_id, d.expires_at INTO k FROM ${n.dedup} d
      WHERE d.queue = p_queue AND d.key = p_dedup FOR UPDATE;
      IF NOT FOUND THEN
        INSERT INTO ${n.dedup} (queue, key, owner_id, expires_at)
        VALUES (p_queue, p_dedup, v_id, v_now + p_ttl) ON CONFLICT DO NOTHING;
        IF FOUND THEN EXIT; END IF;
        CONTINUE; -- another producer created the key meanwhile: lock and judge it
      END IF;
      v_live := CASE WHEN k.expires_at IS NOT NULL THEN k.expires_at > v_now
        ELSE EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = p_queue AND j.id = k.owner_id
                     AND j.state IN ('waiting', 'delayed', 'active')) END;
      IF NOT v_live THEN
        UPDATE ${n.dedup} d SET owner_id = v_id, expires_at = v_now + p_ttl
        WHERE d.queue = p_queue AND d.key = p_dedup;
        EXIT;
      END IF;
      IF p_replace AND EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = p_queue
                               AND j.id = k.owner_id AND j.state = 'delayed') THEN
        -- Re-point the key first: deleting the owner would otherwise release it.
        UPDATE ${n.dedup} d SET owner_id = v_id, expires_at = v_now + p_ttl
        WHERE d.queue = p_queue AND d.key = p_dedup;
        DELETE FROM ${n.jobs} j WHERE j.queue = p_queue AND j.id = k.owner_id AND j.state = 'delayed';
        IF FOUND THEN r_replaced := k.owner_id; EXIT; END IF;
        -- The owner left 'delayed' meanwhile: restore the key and deduplicate.
        UPDATE ${n.dedup} d SET owner_id = k.owner_id, expires_at = k.expires_at
        WHERE d.queue = p_queue AND d.key = p_dedup;
      END IF;
      IF p_extend AND p_ttl IS NOT NULL THEN
        UPDATE ${n.dedup} d SET expires_at = v_now + p_ttl WHERE d.queue = p_queue AND d.key = p_dedup;
      END IF;
      r_status := 'deduplicated'; r_id := k.owner_id; RETURN;
    END LOOP;
  END IF;
  INSERT INTO ${n.jobs} (queue, id, seq, ord, state, name, payload, priority, lifo, opts,
    keep_completed_age, keep_completed_count, keep_failed_age, keep_failed_count,
    dedup_id, created_at, run_at)
  VALUES (p_queue, v_id, v_seq, CASE WHEN p_lifo THEN -v_seq ELSE v_seq END,
    CASE WHEN p_delay > 0 THEN 'delayed' ELSE 'waiting' END, p_name, p_payload, p_priority, p_lifo,
    p_opts, p_kca, p_kcc, p_kfa, p_kfc, p_dedup, v_now, v_now + greatest(p_delay, 0))
  ON CONFLICT (queue, id) DO NOTHING;
  IF NOT FOUND THEN
    -- The custom id appeared after our check: undo the key change with the statement.
    IF p_dedup IS NOT NULL THEN
      RAISE EXCEPTION 'job id % was added concurrently', p_id USING ERRCODE = 'MQ001';
    END IF;
    r_status := 'duplicate'; r_id := p_id; RETURN;
  END IF;
  r_status := CASE WHEN r_replaced IS NULL THEN 'added' ELSE 'replaced' END;
  r_id := v_id;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('add_job')}(
  p_queue text, p_id text, p_name text, p_payload text, p_priority integer, p_lifo boolean,
  p_delay bigint, p_opts text, p_kca bigint, p_kcc integer, p_kfa bigint, p_kfc integer,
  p_dedup text, p_ttl bigint, p_extend boolean, p_replace boolean,
  OUT r_status text, OUT r_id text, OUT r_replaced text)
LANGUAGE plpgsql AS ${dollarQuote(body)};`;
}
