import type { JobState } from '@mq/core';
import { type Statement, statement } from '../connection.js';
import { NOW_MS, type SchemaNames } from './ident.js';
import { JOB_COLUMNS } from './job-row.js';

type Finished = 'completed' | 'failed';
type Cleanable = Exclude<JobState, 'active'>;

/** Administration statements of one schema. States are literals so partial indexes apply. */
export interface AdminStatements {
  counts: Statement;
  compactCounts: Statement;
  get: Statement;
  list: Record<JobState, Record<'asc' | 'desc', Statement>>;
  remove: Statement;
  retryIds: Statement;
  retryState: Record<Finished, Statement>;
  promoteIds: Statement;
  promoteLimit: Statement;
  clean: Record<Cleanable, Statement>;
  applyRetention: Record<Finished, Statement>;
  drainBatch: Record<'waiting' | 'delayed', Statement>;
  activeCount: Statement;
  obliterateBatch: Statement;
  obliterateRest: Statement;
  setPaused: Statement;
  isPaused: Statement;
  setProgress: Statement;
  addLog: Statement;
  getLogs: Statement;
  getDedupOwner: Statement;
  removeDedupKey: Statement;
  cancel: Statement;
  updateData: Statement;
  setLimits: Statement;
  listQueues: Statement;
}

const ORDER: Record<JobState, { asc: string; desc: string }> = {
  waiting: { asc: 'priority DESC, ord ASC', desc: 'priority ASC, ord DESC' },
  delayed: { asc: 'run_at ASC, seq ASC', desc: 'run_at DESC, seq DESC' },
  active: { asc: 'started_at ASC, seq ASC', desc: 'started_at DESC, seq DESC' },
  completed: { asc: 'finished_at ASC, seq ASC', desc: 'finished_at DESC, seq DESC' },
  failed: { asc: 'finished_at ASC, seq ASC', desc: 'finished_at DESC, seq DESC' },
};

// Back to waiting with a fresh attempt budget (admin retry).
const RESET = `state = 'waiting', attempts_made = 0, attempts_started = 0, stalls = 0,
  error = NULL, result = NULL, finished_at = NULL, cancel_requested = false, run_at = ${NOW_MS}`;

/** Builds the administration statements for the schema named by `n`. */
export function adminStatements(n: SchemaNames): AdminStatements {
  // An operator deleting unfinished jobs (clean, drain) frees their dedup keys, ttl or not.
  const RELEASE_KEYS = `, k AS (
  DELETE FROM ${n.dedup} x USING d
  WHERE d.dedup_id IS NOT NULL AND x.queue = $1 AND x.key = d.dedup_id AND x.owner_id = d.id
)`;
  const list = {} as AdminStatements['list'];
  for (const state of Object.keys(ORDER) as JobState[]) {
    const one = (dir: 'asc' | 'desc') =>
      statement(`SELECT ${JOB_COLUMNS} FROM ${n.jobs} WHERE queue = $1 AND state = '${state}'
        ORDER BY ${ORDER[state][dir]} OFFSET $2 LIMIT $3`);
    list[state] = { asc: one('asc'), desc: one('desc') };
  }
  const retryState = (state: Finished) =>
    statement(`
WITH pick AS (
  SELECT id, finished_at AS f, seq FROM ${n.jobs} WHERE queue = $1 AND state = '${state}'
  ORDER BY finished_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED
), u AS (
  UPDATE ${n.jobs} j SET ${RESET} FROM pick WHERE j.queue = $1 AND j.id = ANY(ARRAY(SELECT id FROM pick)) AND j.id = pick.id
  RETURNING pick.id, pick.f, pick.seq
)
SELECT id FROM u ORDER BY f, seq`);
  const clean = (state: Cleanable) => {
    const key = state === 'completed' || state === 'failed' ? 'finished_at' : 'created_at';
    return statement(`
WITH pick AS (
  SELECT id, ${key} AS k, seq FROM ${n.jobs}
  WHERE queue = $1 AND state = '${state}' AND ${key} <= ${NOW_MS} - $2
  ORDER BY ${key}, seq LIMIT $3 FOR UPDATE SKIP LOCKED
), d AS (
  DELETE FROM ${n.jobs} j USING pick WHERE j.queue = $1 AND j.id = ANY(ARRAY(SELECT id FROM pick)) AND j.id = pick.id
  RETURNING pick.id, pick.k, pick.seq, j.dedup_id
)${key === 'created_at' ? RELEASE_KEYS : ''}
SELECT id FROM d ORDER BY k, seq`);
  };
  // Each job's own policy columns decide (count -1 = remove at once, null = unset); the
  // rank from the newest comes from the exact counters, so a page costs O(limit).
  const applyRetention = (state: Finished) => {
    const k = state === 'completed' ? 'keep_completed' : 'keep_failed';
    return statement(`
WITH total AS (
  SELECT coalesce(sum(n), 0)::bigint AS n FROM ${n.counts} WHERE queue = $1 AND state = '${state}'
), page0 AS (
  SELECT id, seq, finished_at, ${k}_age AS ka, ${k}_count AS kc FROM ${n.jobs}
  WHERE queue = $1 AND state = '${state}' ORDER BY finished_at, seq OFFSET $2 LIMIT $3
), page AS (
  SELECT p.*, $2::bigint + row_number() OVER (ORDER BY finished_at, seq) - 1 AS idx FROM page0 p
), pick AS (
  SELECT j.id, p.finished_at AS f, p.seq FROM ${n.jobs} j JOIN page p ON j.id = p.id, total t
  WHERE j.queue = $1 AND j.state = '${state}' AND (
    p.kc = -1
    OR (p.ka IS NOT NULL AND p.finished_at < ${NOW_MS} - p.ka)
    OR (p.kc >= 0 AND t.n - 1 - p.idx >= p.kc))
  FOR UPDATE OF j SKIP LOCKED
), d AS (
  DELETE FROM ${n.jobs} j USING pick WHERE j.queue = $1 AND j.id = pick.id
  RETURNING pick.id, pick.f, pick.seq
)
SELECT (SELECT count(*) FROM page0)::integer AS examined,
  coalesce((SELECT array_agg(id ORDER BY f, seq) FROM d), '{}'::text[]) AS removed`);
  };
  const drain = (state: 'waiting' | 'delayed') =>
    statement(`
WITH pick AS (
  SELECT id FROM ${n.jobs} WHERE queue = $1 AND state = '${state}' LIMIT $2 FOR UPDATE SKIP LOCKED
), d AS (
  DELETE FROM ${n.jobs} j USING pick WHERE j.queue = $1 AND j.id = ANY(ARRAY(SELECT id FROM pick)) AND j.id = pick.id
  RETURNING j.id, j.dedup_id
)${RELEASE_KEYS}
SELECT count(*)::integer AS n FROM d`);

  return {
    counts: statement(
      `SELECT state, sum(n)::bigint AS n, count(*)::integer AS shards FROM ${n.counts} WHERE queue = $1 GROUP BY state`,
    ),
    compactCounts: statement(`SELECT ${n.fn('compact_counts')}($1)`),
    get: statement(`SELECT ${JOB_COLUMNS} FROM ${n.jobs} WHERE queue = $1 AND id = $2`),
    list,
    remove: statement(`
WITH del AS (
  DELETE FROM ${n.jobs} WHERE queue = $1 AND id = ANY($2::text[]) AND state <> 'active'
  RETURNING id, dedup_id
), k AS (
  DELETE FROM ${n.dedup} d USING del
  WHERE d.queue = $1 AND d.key = del.dedup_id AND d.owner_id = del.id
)
SELECT id FROM del`),
    retryIds: statement(`
UPDATE ${n.jobs} SET ${RESET}
WHERE queue = $1 AND id = ANY($2::text[]) AND state IN ('failed', 'completed') RETURNING id`),
    retryState: { completed: retryState('completed'), failed: retryState('failed') },
    promoteIds: statement(`
UPDATE ${n.jobs} SET state = 'waiting', run_at = ${NOW_MS}
WHERE queue = $1 AND id = ANY($2::text[]) AND state = 'delayed' RETURNING id`),
    promoteLimit: statement(`
WITH pick AS (
  SELECT id, run_at AS r, seq FROM ${n.jobs} WHERE queue = $1 AND state = 'delayed'
  ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED
), u AS (
  UPDATE ${n.jobs} j SET state = 'waiting', run_at = ${NOW_MS} FROM pick
  WHERE j.queue = $1 AND j.id = ANY(ARRAY(SELECT id FROM pick)) AND j.id = pick.id RETURNING pick.id, pick.r, pick.seq
)
SELECT id FROM u ORDER BY r, seq`),
    clean: {
      waiting: clean('waiting'),
      delayed: clean('delayed'),
      completed: clean('completed'),
      failed: clean('failed'),
    },
    applyRetention: {
      completed: applyRetention('completed'),
      failed: applyRetention('failed'),
    },
    drainBatch: { waiting: drain('waiting'), delayed: drain('delayed') },
    activeCount: statement(
      `SELECT coalesce(sum(n), 0)::bigint AS n FROM ${n.counts} WHERE queue = $1 AND state = 'active'`,
    ),
    obliterateBatch: statement(`
WITH pick AS (SELECT id FROM ${n.jobs} WHERE queue = $1 LIMIT $2 FOR UPDATE),
d AS (DELETE FROM ${n.jobs} j USING pick WHERE j.queue = $1 AND j.id = ANY(ARRAY(SELECT id FROM pick)) AND j.id = pick.id RETURNING 1)
SELECT count(*)::integer AS n FROM d`),
    obliterateRest: statement(`
WITH a AS (DELETE FROM ${n.dedup} WHERE queue = $1),
b AS (DELETE FROM ${n.schedules} WHERE queue = $1),
c AS (DELETE FROM ${n.queues} WHERE name = $1),
d AS (DELETE FROM ${n.logs} WHERE queue = $1),
e AS (DELETE FROM ${n.events} WHERE queue = $1)
SELECT 1`),
    setPaused: statement(`
WITH u AS (
  INSERT INTO ${n.queues} (name, paused) VALUES ($1, $2)
  ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused RETURNING paused
)
SELECT pg_notify($3, $1) FROM u WHERE NOT u.paused`),
    isPaused: statement(`SELECT paused FROM ${n.queues} WHERE name = $1`),
    setProgress: statement(`
UPDATE ${n.jobs} SET progress = $4
WHERE queue = $1 AND id = $2 AND token = $3 RETURNING 1 AS ok`),
    addLog: statement(`
WITH j AS (
  SELECT 1 FROM ${n.jobs} WHERE queue = $1 AND id = $2 AND token = $3
), ins AS (
  INSERT INTO ${n.logs} (queue, job_id, line) SELECT $1, $2, $4 FROM j RETURNING n
), trim AS (
  DELETE FROM ${n.logs} l WHERE l.queue = $1 AND l.job_id = $2 AND EXISTS (SELECT 1 FROM ins)
    AND l.n NOT IN (SELECT x.n FROM ${n.logs} x WHERE x.queue = $1 AND x.job_id = $2
                    ORDER BY x.n DESC LIMIT greatest($5::integer - 1, 0))
)
SELECT count(*)::integer AS ok FROM ins`),
    getLogs: statement(
      `SELECT line FROM ${n.logs} WHERE queue = $1 AND job_id = $2 ORDER BY n OFFSET $3 LIMIT $4`,
    ),
    getDedupOwner: statement(`
SELECT d.owner_id FROM ${n.dedup} d WHERE d.queue = $1 AND d.key = $2 AND
  CASE WHEN d.expires_at IS NOT NULL THEN d.expires_at > ${NOW_MS}
  ELSE EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = $1 AND j.id = d.owner_id
               AND j.state IN ('waiting', 'delayed', 'active')) END`),
    // True only for a live key: an expired one counts as already gone.
    removeDedupKey: statement(`
DELETE FROM ${n.dedup} d WHERE d.queue = $1 AND d.key = $2
RETURNING CASE WHEN d.expires_at IS NOT NULL THEN d.expires_at > ${NOW_MS}
  ELSE EXISTS (SELECT 1 FROM ${n.jobs} j WHERE j.queue = $1 AND j.id = d.owner_id
               AND j.state IN ('waiting', 'delayed', 'active')) END AS live`),
    cancel: statement(`SELECT ${n.fn('cancel')}($1, $2) AS result`),
    // Conditional on the state and the task in the one UPDATE; when it matches nothing,
    // the job's current state (if any) says why.
    updateData: statement(`
WITH u AS (
  UPDATE ${n.jobs} SET payload = $4
  WHERE queue = $1 AND id = $2 AND name = $3 AND state IN ('waiting', 'delayed')
  RETURNING 1
)
SELECT (SELECT count(*) FROM u)::integer AS updated,
  (SELECT state FROM ${n.jobs} WHERE queue = $1 AND id = $2 AND name = $3) AS state`),
    setLimits: statement(`
WITH u AS (
  INSERT INTO ${n.queues} AS q (name, rate_max, rate_duration, concurrency)
  VALUES ($1, $3, $4, $6)
  ON CONFLICT (name) DO UPDATE SET
    rate_max = CASE WHEN $2::boolean THEN EXCLUDED.rate_max ELSE q.rate_max END,
    rate_duration = CASE WHEN $2::boolean THEN EXCLUDED.rate_duration ELSE q.rate_duration END,
    rate_window_start = CASE WHEN $2::boolean THEN 0 ELSE q.rate_window_start END,
    rate_count = CASE WHEN $2::boolean THEN 0 ELSE q.rate_count END,
    concurrency = CASE WHEN $5::boolean THEN EXCLUDED.concurrency ELSE q.concurrency END
  RETURNING 1
)
SELECT pg_notify($7, $1) FROM u`),
    listQueues: statement(`
SELECT queue FROM ${n.counts} GROUP BY queue HAVING sum(n) > 0
UNION SELECT queue FROM ${n.schedules}
UNION SELECT name FROM ${n.queues} WHERE paused
ORDER BY 1`),
  };
}
