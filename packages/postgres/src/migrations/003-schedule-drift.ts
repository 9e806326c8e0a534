import type { Migration } from './types.js';

/**
 * Version 3: drift figures of durable schedules (`listRepeatables`): the largest drift
 * and the count of late ticks since the last reset. Columns added only; existing rows
 * start counting from zero.
 */
export const migration003: Migration = {
  version: 3,
  name: 'schedule-drift',
  sql: (n) => `
ALTER TABLE ${n.schedules} ADD COLUMN IF NOT EXISTS max_drift_ms bigint;
ALTER TABLE ${n.schedules} ADD COLUMN IF NOT EXISTS late_ticks integer NOT NULL DEFAULT 0;
ALTER TABLE ${n.schedules} ADD COLUMN IF NOT EXISTS drift_since bigint;
`,
};
