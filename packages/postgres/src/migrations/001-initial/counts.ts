import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';

/**
 * Folds the per-backend counter rows of a queue into shard 0. Never waits: rows a live
 * transaction holds are skipped, and only one compaction per queue runs at a time.
 */
export function compactCounts(n: SchemaNames): string {
  const body = `
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext(${quoteLiteral(n.schema)}), hashtext('counts:' || p_queue)) THEN
    RETURN;
  END IF;
  -- A CTE runs once: a locking subquery inside IN (...) may run again per row.
  WITH pick AS (
    SELECT x.state, x.shard FROM ${n.counts} x
    WHERE x.queue = p_queue AND x.shard <> 0 FOR UPDATE SKIP LOCKED
  ), moved AS (
    DELETE FROM ${n.counts} c USING pick
    WHERE c.queue = p_queue AND c.state = pick.state AND c.shard = pick.shard
    RETURNING c.state, c.n
  )
  INSERT INTO ${n.counts} AS c (queue, state, shard, n)
  SELECT p_queue, m.state, 0, sum(m.n) FROM moved m GROUP BY m.state ORDER BY 2
  ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  DELETE FROM ${n.counts} c WHERE c.queue = p_queue AND c.shard = 0 AND c.n = 0;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('compact_counts')}(p_queue text)
RETURNS void LANGUAGE plpgsql AS ${dollarQuote(body)};`;
}
