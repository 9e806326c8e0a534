import { migration001 } from './001-initial.js';
import { migration002 } from './002-coordination.js';
import { migration003 } from './003-schedule-drift.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];

/** The schema version this package needs. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
