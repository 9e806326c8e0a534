import type { BackendCapabilities } from '../contract/index.js';

/** Every capability, off: what a backend promises unless it says otherwise. */
export const NO_CAPABILITIES: Readonly<BackendCapabilities> = Object.freeze({
  distributedLocks: false,
  globalRateLimit: false,
  globalConcurrency: false,
  pushWakeups: false,
  distributedEvents: false,
  durable: false,
  distributedSchedules: false,
});

/**
 * A backend's capabilities from the ones it declares; every other one is false (see
 * `NO_CAPABILITIES`), so a new capability never turns on by omission. Frozen.
 */
export function defineCapabilities(
  declared: Partial<BackendCapabilities>,
): Readonly<BackendCapabilities> {
  return Object.freeze({ ...NO_CAPABILITIES, ...declared });
}
