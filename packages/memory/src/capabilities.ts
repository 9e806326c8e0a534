import type { BackendCapabilities } from '@mq/core';
import { defineCapabilities } from '@mq/core/backend-kit';

/**
 * What the memory backend promises. Everything lives in one process: limits, wake-ups
 * and the schedule compare-and-set are exact there, but nothing is shared with other
 * processes or survives a restart.
 */
export const MEMORY_CAPABILITIES: Readonly<BackendCapabilities> = defineCapabilities({
  globalRateLimit: true,
  globalConcurrency: true,
  pushWakeups: true,
});
