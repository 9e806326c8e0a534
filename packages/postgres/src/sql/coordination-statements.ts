import { type Statement, statement } from '../connection.js';
import { NOW_MS, type SchemaNames } from './ident.js';

/** Statements of schedules, locks, the worker registry and the event log. */
export interface CoordinationStatements {
  scheduleUpsert: Statement;
  scheduleRemove: Statement;
  scheduleGet: Statement;
  scheduleList: Statement;
  schedulePause: Statement;
  scheduleFire: Statement;
  scheduleSkip: Statement;
  scheduleResetDrift: Statement;
  lockAcquire: Statement;
  lockRenew: Statement;
  lockRelease: Statement;
  workerBeat: Statement;
  workerRemove: Statement;
  workerList: Statement;
  eventPublish: Statement;
  eventHeads: Statement;
  eventRead: Statement;
}

const SCHEDULE_COLUMNS = `queue, id, spec, template, paused, next_run_at, last_run_at,
  last_fired_at, run_count, created_at, updated_at`;
// Read-only for upsert: only fire and resetDrift write them.
const DRIFT_COLUMNS = 'max_drift_ms, late_ticks, drift_since';
// A tick that applies: $3 planned, $5 fired at, lateAfter the parameter given.
const driftSet = (
  lateAfter: string,
) => `max_drift_ms = greatest(max_drift_ms, $5::bigint - $3::bigint),
    late_ticks = late_ticks + CASE WHEN $5::bigint - $3::bigint > ${lateAfter}::bigint THEN 1 ELSE 0 END`;

/** Builds the coordination statements for the schema named by `n`. */
export function coordinationStatements(n: SchemaNames): CoordinationStatements {
  return {
    scheduleUpsert: statement(`
INSERT INTO ${n.schedules} AS s (${SCHEDULE_COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (queue, id) DO UPDATE SET spec = EXCLUDED.spec, template = EXCLUDED.template,
  paused = EXCLUDED.paused, updated_at = EXCLUDED.updated_at,
  next_run_at = CASE WHEN s.spec = EXCLUDED.spec AND s.run_count > EXCLUDED.run_count
    THEN s.next_run_at ELSE EXCLUDED.next_run_at END`),
    scheduleRemove: statement(
      `DELETE FROM ${n.schedules} WHERE queue = $1 AND id = $2 RETURNING 1 AS ok`,
    ),
    scheduleGet: statement(
      `SELECT ${SCHEDULE_COLUMNS}, ${DRIFT_COLUMNS} FROM ${n.schedules} WHERE queue = $1 AND id = $2`,
    ),
    scheduleList: statement(
      `SELECT ${SCHEDULE_COLUMNS}, ${DRIFT_COLUMNS} FROM ${n.schedules} WHERE queue = $1 ORDER BY created_at, id`,
    ),
    schedulePause: statement(
      `UPDATE ${n.schedules} SET paused = $3 WHERE queue = $1 AND id = $2 RETURNING 1 AS ok`,
    ),
    // The compare-and-set tick: the job is added only through the row the UPDATE returned
    // (the LATERAL reference makes add_job run after, and only if, the UPDATE matched).
    scheduleFire: statement(`
WITH s AS (
  UPDATE ${n.schedules} SET next_run_at = $4, last_run_at = $3, last_fired_at = $5,
    run_count = run_count + 1, ${driftSet('$21')}
  WHERE queue = $1 AND id = $2 AND NOT paused AND next_run_at = $3
  RETURNING queue
)
SELECT r.r_status AS status, r.r_id AS id
FROM s CROSS JOIN LATERAL ${n.fn('add_job')}(s.queue, $6, $7, $8, $9, $10, $11, $12, $13, $14,
  $15, $16, $17, $18, $19, $20) r`),
    // A skipped (missed) tick: the same compare-and-set, only the plan moves.
    scheduleSkip: statement(`
UPDATE ${n.schedules} SET next_run_at = $4, ${driftSet('$6')}
WHERE queue = $1 AND id = $2 AND NOT paused AND next_run_at = $3 RETURNING 1 AS ok`),
    scheduleResetDrift: statement(`
UPDATE ${n.schedules} SET max_drift_ms = NULL, late_ticks = 0, drift_since = $3
WHERE queue = $1 AND id = $2 RETURNING 1 AS ok`),
    lockAcquire: statement(`
INSERT INTO ${n.locks} AS l (name, owner, expires_at) VALUES ($1, $2, ${NOW_MS} + $3)
ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
WHERE l.expires_at <= ${NOW_MS} OR l.owner = EXCLUDED.owner
RETURNING 1 AS ok`),
    lockRenew: statement(`
UPDATE ${n.locks} SET expires_at = ${NOW_MS} + $3
WHERE name = $1 AND owner = $2 AND expires_at > ${NOW_MS} RETURNING 1 AS ok`),
    lockRelease: statement(`
DELETE FROM ${n.locks} WHERE name = $1 AND owner = $2 RETURNING expires_at > ${NOW_MS} AS held`),
    workerBeat: statement(`
INSERT INTO ${n.workers} AS w (id, kind, queue, host, pid, concurrency, started_at, last_seen, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, ${NOW_MS}, ${NOW_MS} + $8)
ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, queue = EXCLUDED.queue, host = EXCLUDED.host,
  pid = EXCLUDED.pid, concurrency = EXCLUDED.concurrency, started_at = EXCLUDED.started_at,
  last_seen = EXCLUDED.last_seen, expires_at = EXCLUDED.expires_at`),
    workerRemove: statement(`DELETE FROM ${n.workers} WHERE id = $1`),
    // Listing also sweeps entries long dead, so the table stays small without a janitor.
    workerList: statement(`
WITH sweep AS (DELETE FROM ${n.workers} WHERE expires_at < ${NOW_MS} - 3600000)
SELECT id, kind, queue, host, pid, concurrency, started_at, last_seen FROM ${n.workers}
WHERE expires_at > ${NOW_MS}
  AND ($1::text IS NULL OR queue = $1
       OR (kind = 'scheduler' AND $1 = ANY(string_to_array(queue, ','))))
ORDER BY id`),
    // Ids come from the queue's head row; its lock orders commits so readers never skip.
    eventPublish: statement(`
WITH h AS (
  INSERT INTO ${n.eventHeads} AS h (queue, last_id) VALUES ($1, $2::bigint)
  ON CONFLICT (queue) DO UPDATE SET last_id = h.last_id + EXCLUDED.last_id
  RETURNING last_id
), ins AS (
  INSERT INTO ${n.events} (queue, last_id, first_id, body)
  SELECT $1, h.last_id, h.last_id - $2::bigint + 1, $3 FROM h
), trim AS (
  DELETE FROM ${n.events} e
  WHERE $5::boolean AND e.queue = $1 AND e.last_id <= (SELECT last_id FROM h) - $6::bigint
)
SELECT pg_notify($4, $1) FROM h`),
    eventHeads: statement(
      `SELECT queue, last_id FROM ${n.eventHeads} WHERE queue = ANY($1::text[])`,
    ),
    eventRead: statement(`
SELECT first_id, last_id, body FROM ${n.events}
WHERE queue = $1 AND last_id > $2 ORDER BY last_id LIMIT $3`),
  };
}
