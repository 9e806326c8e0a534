import type { Migration } from './types.js';

/**
 * Version 2: the cross-process coordination tables: durable schedules, TTL locks, the
 * worker registry and the event log.
 */
export const migration002: Migration = {
  version: 2,
  name: 'coordination',
  sql: (n) => `
CREATE TABLE IF NOT EXISTS ${n.schedules} (
  queue text NOT NULL,
  id text NOT NULL,
  spec text NOT NULL,
  template text NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  next_run_at bigint,
  last_run_at bigint,
  last_fired_at bigint,
  run_count integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (queue, id)
);

-- Advisory locks cannot expire; a lease row can: held while expires_at is in the future.
CREATE TABLE IF NOT EXISTS ${n.locks} (
  name text PRIMARY KEY,
  owner text NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS ${n.workers} (
  id text PRIMARY KEY,
  kind text NOT NULL,
  queue text NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  concurrency integer NOT NULL,
  started_at bigint NOT NULL,
  last_seen bigint NOT NULL,
  expires_at bigint NOT NULL
);

-- Event ids come from a per-queue head row: the row lock orders commits, so ids are
-- visible in increasing order and a reader never skips one.
CREATE TABLE IF NOT EXISTS ${n.eventHeads} (
  queue text PRIMARY KEY,
  last_id bigint NOT NULL
);

-- One row per publish call: events first_id..last_id as a JSON array. A worker's batch of
-- a hundred events is one insert, not a hundred.
CREATE TABLE IF NOT EXISTS ${n.events} (
  queue text NOT NULL,
  last_id bigint NOT NULL,
  first_id bigint NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (queue, last_id)
) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
`,
};
