import { dollarQuote, quoteLiteral, type SchemaNames } from '../../sql/ident.js';
import { COUNTING_INLINE } from './shared.js';

/** Statement-level triggers keep `counts` exact and wake listeners, for every writer. */
export function triggers(n: SchemaNames): string {
  const channel = quoteLiteral(n.jobsChannel);
  // Net change per (queue, state) of the statement's rows, written to this backend's own
  // counter rows (no other transaction writes them, so no lock order to keep), and one
  // NOTIFY per queue that gained waiting or delayed jobs. One query per trigger call:
  // each query over a transition table is planned afresh, so fewer is cheaper — and the
  // hot-path functions skip all this by counting inline (see INLINE_COUNTS).
  const apply = (delta: string) => `
  WITH d AS (
    SELECT x.queue, x.state, sum(x.k) AS n FROM (${delta}) x
    GROUP BY x.queue, x.state HAVING sum(x.k) <> 0
  ), ins AS (
    INSERT INTO ${n.counts} AS c (queue, state, shard, n)
    SELECT d.queue, d.state, pg_backend_pid(), d.n FROM d
    ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n
  )
  SELECT count(pg_notify(${channel}, w.queue)) INTO v_woken FROM (
    SELECT DISTINCT d.queue FROM d WHERE d.state IN ('waiting', 'delayed') AND d.n > 0
  ) w;`;
  const skip = `IF ${COUNTING_INLINE} THEN RETURN NULL; END IF;`;
  const onInsert = `
DECLARE v_woken bigint;
BEGIN
  ${skip}${apply('SELECT r.queue, r.state, 1 AS k FROM new_rows r')}
  RETURN NULL;
END`;
  const onUpdate = `
DECLARE v_woken bigint;
BEGIN
  ${skip}${apply(`SELECT r.queue, r.state, 1 AS k FROM new_rows r
    UNION ALL SELECT r.queue, r.state, -1 AS k FROM old_rows r`)}
  RETURN NULL;
END`;
  const onDelete = `
DECLARE v_keys boolean := false;
BEGIN
  -- Functions counting inline also release dedup keys themselves; logs always go here.
  IF ${COUNTING_INLINE} IS NOT TRUE THEN
    WITH d AS (
      SELECT r.queue, r.state, -count(*) AS n FROM old_rows r GROUP BY r.queue, r.state
    ), ins AS (
      INSERT INTO ${n.counts} AS c (queue, state, shard, n)
      SELECT d.queue, d.state, pg_backend_pid(), d.n FROM d
      ON CONFLICT (queue, state, shard) DO UPDATE SET n = c.n + EXCLUDED.n
    )
    SELECT bool_or(r.dedup_id IS NOT NULL) INTO v_keys FROM old_rows r;
  END IF;
  -- A deleted job takes its logs and the ttl-less dedup key it owned with it.
  IF EXISTS (SELECT 1 FROM ${n.logs} LIMIT 1) THEN
    DELETE FROM ${n.logs} l USING old_rows r
    WHERE l.job_id = ANY(ARRAY(SELECT x.id FROM old_rows x))
      AND l.queue = r.queue AND l.job_id = r.id;
  END IF;
  IF v_keys THEN
    DELETE FROM ${n.dedup} d USING old_rows r
    WHERE d.key = ANY(ARRAY(SELECT x.dedup_id FROM old_rows x WHERE x.dedup_id IS NOT NULL))
      AND r.dedup_id IS NOT NULL AND d.queue = r.queue AND d.key = r.dedup_id
      AND d.owner_id = r.id AND d.expires_at IS NULL;
  END IF;
  RETURN NULL;
END`;
  return `
CREATE OR REPLACE FUNCTION ${n.fn('jobs_after_insert')}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(onInsert)};
CREATE OR REPLACE FUNCTION ${n.fn('jobs_after_update')}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(onUpdate)};
CREATE OR REPLACE FUNCTION ${n.fn('jobs_after_delete')}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(onDelete)};
CREATE TRIGGER jobs_after_insert AFTER INSERT ON ${n.jobs}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${n.fn('jobs_after_insert')}();
CREATE TRIGGER jobs_after_update AFTER UPDATE ON ${n.jobs}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${n.fn('jobs_after_update')}();
CREATE TRIGGER jobs_after_delete AFTER DELETE ON ${n.jobs}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${n.fn('jobs_after_delete')}();
`;
}
