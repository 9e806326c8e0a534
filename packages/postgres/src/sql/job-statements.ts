import { type Statement, statement } from '../connection.js';
import { NOW_MS, type SchemaNames } from './ident.js';

/** The hot-path statements of one schema. */
export interface JobStatements {
  /** Bulk add without dedup: `add_jobs()`, one INSERT; custom ids via ON CONFLICT DO NOTHING. */
  addBulk: Statement;
  /** Add through `add_job()` per row, in order: jobId + every dedup mode. */
  addWithDedup: Statement;
  claim: Statement;
  settle: Statement;
  extend: Statement;
  recover: Statement;
  /** ms until a reserve could grant something (see the statement). */
  nextDue: Statement;
}

/** Builds the hot-path statements for the schema named by `n`. */
export function jobStatements(n: SchemaNames): JobStatements {
  return {
    addBulk: statement(`SELECT r_id AS id, r_added AS added FROM ${n.fn('add_jobs')}($1,
  $2::text[], $3::text[], $4::text[], $5::integer[], $6::boolean[], $7::bigint[], $8::text[],
  $9::bigint[], $10::integer[], $11::bigint[], $12::integer[])`),

    addWithDedup: statement(`
SELECT r.r_status AS status, r.r_id AS id, r.r_replaced AS replaced
FROM unnest($2::text[], $3::text[], $4::text[], $5::integer[], $6::boolean[], $7::bigint[],
    $8::text[], $9::bigint[], $10::integer[], $11::bigint[], $12::integer[],
    $13::text[], $14::bigint[], $15::boolean[], $16::boolean[])
  WITH ORDINALITY AS t(id, name, payload, priority, lifo, delay, opts, kca, kcc, kfa, kfc,
    dedup, ttl, extend, replace, i)
CROSS JOIN LATERAL ${n.fn('add_job')}($1, t.id, t.name, t.payload, t.priority, t.lifo, t.delay,
  t.opts, t.kca, t.kcc, t.kfa, t.kfc, t.dedup, t.ttl, t.extend, t.replace) r
ORDER BY t.i`),

    claim: statement(`SELECT * FROM ${n.fn('claim')}($1, $2, $3, $4)`),

    settle: statement(
      `SELECT * FROM ${n.fn('settle')}($1, $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8, $9, $10)`,
    ),

    extend: statement(`
UPDATE ${n.jobs} j SET lease_expires_at = ${NOW_MS} + $4
FROM unnest($2::text[], $3::text[]) AS o(id, token)
WHERE j.queue = $1 AND j.id = ANY($2::text[]) AND j.id = o.id AND j.token = o.token
RETURNING j.id, j.token, j.cancel_requested`),

    recover: statement(
      `SELECT r_id AS id, r_outcome AS outcome FROM ${n.fn('recover')}($1, $2, $3)`,
    ),

    nextDue: statement(`SELECT ${n.fn('next_due')}($1) AS due`),
  };
}
