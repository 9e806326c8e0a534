/**
 * What every backend needs and no user does: `@mq/core/backend-kit`. Kept out of the
 * user-facing entry so the API a producer or operator sees stays small.
 */
export { CANCELLED_ERROR, STALLED_ERROR, stalledEvents } from './job-errors.js';
export { defineCapabilities, NO_CAPABILITIES } from './capabilities.js';
export { Lifecycle, type LifecycleHooks } from './lifecycle.js';
export { takeUrlParams } from './url-params.js';
export { type Parked, WaiterSet } from './waiter-set.js';
export { AddBatcher } from '../add-batcher.js';
export { parseStoredOptions } from '../stored-options.js';
export { type KeepRule, keepRule, keepRuleRemoves, keepsForever } from './keep-rule.js';
