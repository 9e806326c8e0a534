import type { SchemaNames } from '../../sql/ident.js';

/** Tables, indexes and the `job_out` row type. */
export function tables(n: SchemaNames): string {
  return `
CREATE SEQUENCE IF NOT EXISTS ${n.s}.job_seq;

-- One row per job, finished ones included (retention keeps them bounded). Every state has
-- its own partial index, so a scan in one state never reads rows of another.
CREATE TABLE IF NOT EXISTS ${n.jobs} (
  queue text NOT NULL,
  id text NOT NULL,
  seq bigint NOT NULL,
  ord bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('waiting', 'delayed', 'active', 'completed', 'failed')),
  priority integer NOT NULL DEFAULT 0,
  lifo boolean NOT NULL DEFAULT false,
  attempts_made integer NOT NULL DEFAULT 0,
  attempts_started integer NOT NULL DEFAULT 0,
  stalls integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  run_at bigint NOT NULL,
  started_at bigint,
  prev_started_at bigint,
  finished_at bigint,
  lease_expires_at bigint,
  keep_completed_age bigint,
  keep_completed_count integer,
  keep_failed_age bigint,
  keep_failed_count integer,
  cancel_requested boolean NOT NULL DEFAULT false,
  token text,
  worker_id text,
  dedup_id text,
  name text NOT NULL,
  opts text NOT NULL,
  payload text NOT NULL,
  progress text,
  result text,
  error text,
  PRIMARY KEY (queue, id)
) WITH (
  fillfactor = 85,
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_delay = 0
);

-- The claim order: priority first, then ord (= seq, or -seq for lifo jobs).
CREATE INDEX IF NOT EXISTS jobs_waiting_idx ON ${n.jobs} (queue, priority DESC, ord) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS jobs_delayed_idx ON ${n.jobs} (queue, run_at) WHERE state = 'delayed';
CREATE INDEX IF NOT EXISTS jobs_active_idx ON ${n.jobs} (queue, started_at) WHERE state = 'active';
CREATE INDEX IF NOT EXISTS jobs_completed_idx ON ${n.jobs} (queue, finished_at, seq) WHERE state = 'completed';
CREATE INDEX IF NOT EXISTS jobs_failed_idx ON ${n.jobs} (queue, finished_at, seq) WHERE state = 'failed';

-- Per-queue flags and global limits; a row exists only for queues that set one.
CREATE TABLE IF NOT EXISTS ${n.queues} (
  name text PRIMARY KEY,
  paused boolean NOT NULL DEFAULT false,
  rate_max integer,
  rate_duration bigint,
  rate_window_start bigint NOT NULL DEFAULT 0,
  rate_count integer NOT NULL DEFAULT 0,
  concurrency integer
);

-- Job counts per queue and state, one row per writing backend (shard = pg_backend_pid()),
-- so concurrent transactions never wait on each other's counter rows.
CREATE TABLE IF NOT EXISTS ${n.counts} (
  queue text NOT NULL,
  state text NOT NULL,
  shard integer NOT NULL,
  n bigint NOT NULL,
  PRIMARY KEY (queue, state, shard)
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

-- Deduplication keys: the unique key is the atomicity under concurrent producers.
CREATE TABLE IF NOT EXISTS ${n.dedup} (
  queue text NOT NULL,
  key text NOT NULL,
  owner_id text NOT NULL,
  expires_at bigint,
  PRIMARY KEY (queue, key)
);
CREATE INDEX IF NOT EXISTS dedup_expiry_idx ON ${n.dedup} (queue, expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${n.logs} (
  queue text NOT NULL,
  job_id text NOT NULL,
  n bigint GENERATED ALWAYS AS IDENTITY,
  line text NOT NULL,
  PRIMARY KEY (queue, job_id, n)
);

CREATE TYPE ${n.s}.job_out AS (
  tag text,
  i integer,
  limited_ms bigint,
  id text,
  state text,
  name text,
  payload text,
  priority integer,
  lifo boolean,
  opts text,
  attempts_made integer,
  attempts_started integer,
  stalls integer,
  dedup_id text,
  progress text,
  result text,
  error text,
  created_at bigint,
  run_at bigint,
  started_at bigint,
  finished_at bigint,
  worker_id text,
  lease_expires_at bigint,
  token text,
  cancel_requested boolean
);
`;
}
