import type { ConcernName } from '../options.js';
import type { SuiteEnv } from '../support/env.js';
import { administration } from './administration.js';
import { backoff } from './backoff.js';
import { badInput } from './bad-input.js';
import { cancellation } from './cancellation.js';
import { capabilities } from './capabilities.js';
import { close } from './close.js';
import { deduplication } from './deduplication.js';
import { delays } from './delays.js';
import { events } from './events.js';
import { fencing } from './fencing.js';
import { globalLimits } from './global-limits.js';
import { idempotency } from './idempotency.js';
import { lifecycle } from './lifecycle.js';
import { limits } from './limits.js';
import { locks } from './locks.js';
import { ordering } from './ordering.js';
import { pause } from './pause.js';
import { repeatableStorage } from './repeatable-storage.js';
import { resilience } from './resilience.js';
import { retention } from './retention.js';
import { stalls } from './stalls.js';
import { storageLimits } from './storage-limits.js';
import { timeout } from './timeout.js';
import { typedTasks } from './typed-tasks.js';
import { unrecoverable } from './unrecoverable.js';
import { workers } from './workers.js';

/** Registers the tests of one concern inside the current `describe`. */
export type RegisterConcern = (env: SuiteEnv) => void;

/** Every concern, by the name `skip` uses. */
export const REGISTRY: Record<ConcernName, RegisterConcern> = {
  lifecycle,
  fencing,
  stalls,
  ordering,
  delays,
  idempotency,
  deduplication,
  pause,
  administration,
  retention,
  'repeatable-storage': repeatableStorage,
  locks,
  events,
  workers,
  'bad-input': badInput,
  limits,
  'typed-tasks': typedTasks,
  'global-limits': globalLimits,
  timeout,
  cancellation,
  backoff,
  unrecoverable,
  close,
  capabilities,
  resilience,
  'storage-limits': storageLimits,
};
