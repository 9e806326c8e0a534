import type { BackendCapabilities } from '@mq/core';
import { defineCapabilities } from '@mq/core/backend-kit';

/**
 * What @mq/mongo promises on a server whose single-document updates are atomic (MongoDB,
 * mongo-java-server): locks, schedules and events across processes, durability. No push
 * wake-ups (it polls; change streams are not used) and no queue-global limits.
 */
export const MONGO_CAPABILITIES: Readonly<BackendCapabilities> = defineCapabilities({
  distributedLocks: true,
  distributedEvents: true,
  durable: true,
  distributedSchedules: true,
});

/**
 * On FerretDB (detected at connect from `buildInfo`), whose `findAndModify` and
 * conditional updates read and write in separate steps: two processes racing for one
 * document can both win. Mutual exclusion (locks) and the schedule compare-and-set then
 * hold only within one backend, so those capabilities are off, and so is
 * `atomicUpdates`, which gates the tests that race concurrent claims.
 */
export const FERRETDB_CAPABILITIES: Readonly<BackendCapabilities> = defineCapabilities({
  distributedEvents: true,
  durable: true,
  atomicUpdates: false,
});
