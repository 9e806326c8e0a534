import { dollarQuote, type SchemaNames } from '../../sql/ident.js';
import { PINNED_PLANS, NOW_CLOCK } from './shared.js';

/**
 * `waitForWork`'s question: 0 when a reserve could grant something now; else ms until the
 * earliest delayed job is due (or the rate window reopens); null when only an event can
 * help (paused, at the concurrency limit, nothing queued). Two index probes.
 */
export function nextDue(n: SchemaNames): string {
  const body = `
DECLARE
  q ${n.queues}%ROWTYPE;
  v_now bigint := ${NOW_CLOCK};
  v_due bigint;
BEGIN
  SELECT * INTO q FROM ${n.queues} WHERE name = p_queue;
  IF q.paused THEN RETURN NULL; END IF;
  IF q.concurrency IS NOT NULL AND q.concurrency <= (
    SELECT coalesce(sum(c.n), 0) FROM ${n.counts} c
    WHERE c.queue = p_queue AND c.state = 'active') THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = p_queue AND j.state = 'waiting') THEN
    v_due := 0;
  ELSE
    SELECT j.run_at - v_now INTO v_due FROM ${n.jobs} j
    WHERE j.queue = p_queue AND j.state = 'delayed' ORDER BY j.run_at LIMIT 1;
    IF v_due IS NULL THEN RETURN NULL; END IF;
  END IF;
  IF q.rate_max IS NOT NULL AND q.rate_count >= q.rate_max THEN
    v_due := greatest(v_due, q.rate_window_start + q.rate_duration - v_now);
  END IF;
  RETURN v_due;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('next_due')}(p_queue text)
RETURNS bigint LANGUAGE plpgsql ${PINNED_PLANS} AS ${dollarQuote(body)};`;
}
