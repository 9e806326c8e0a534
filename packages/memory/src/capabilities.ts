import type { BackendCapabilities } from '@mq/core';

/**
 * What the memory backend promises. Everything lives in one process: limits, wake-ups
 * and the schedule compare-and-set are exact there, but nothing is shared with other
 * processes or survives a restart.
 */
export const MEMORY_CAPABILITIES: Readonly<BackendCapabilities> = Object.freeze({
  distributedLocks: false,
  globalRateLimit: true,
  globalConcurrency: true,
  pushWakeups: true,
  distributedEvents: false,
  durable: false,
  distributedSchedules: false,
});
