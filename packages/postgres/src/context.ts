import type { Db } from './connection.js';
import type { Listener } from './listener.js';
import type { ResolvedOptions } from './options.js';
import type { SchemaNames } from './sql/ident.js';
import type { Vacuumer } from './vacuum.js';
import type { WaiterSet } from '@mq/core/backend-kit';

/** What every role object of one backend shares. */
export interface BackendContext {
  readonly db: Db;
  readonly names: SchemaNames;
  readonly options: ResolvedOptions;
  readonly wakeups: WaiterSet;
  /** Housekeeping vacuum of `jobs`, told about every settled batch; null when off. */
  readonly vacuum: Vacuumer | null;
  /** Starts the listener (lazily) and returns it. */
  listener(): Listener;
}
