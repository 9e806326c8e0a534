import type { JobStore } from '@mq/core';
import { addJobs } from './add-jobs.js';
import { extendLeases, msUntilReservable, reserveJobs } from './leasing.js';
import { recoverExpired, settleOutcomes } from './settling.js';
import type { MemoryStore } from './store.js';

/**
 * The hot path. Every method does its work synchronously and returns an already
 * settled promise: no timers or extra ticks between a worker and its next job.
 */
export function createJobStore(store: MemoryStore): JobStore {
  return {
    // Settling runs in this process: a second call in flight would overlap nothing.
    minSettleBatch: Number.POSITIVE_INFINITY,
    async add(queue, jobs) {
      return addJobs(store, queue, jobs);
    },
    async reserve(queue, req) {
      return reserveJobs(store, queue, req);
    },
    waitForWork(queue, req) {
      // Checked before parking so a job added between a worker's empty reserve and this
      // call is not missed.
      const ms = msUntilReservable(store.peek(queue), store.now());
      return store.waiters.wait(queue, req.signal, Math.min(ms, req.maxWaitMs));
    },
    async extend(queue, leases, leaseMs) {
      return extendLeases(store, queue, leases, leaseMs);
    },
    async settle(queue, outcomes, next) {
      const results = settleOutcomes(store, queue, outcomes);
      return next === undefined ? { results } : { results, next: reserveJobs(store, queue, next) };
    },
    async recoverExpired(queue, req) {
      return recoverExpired(store, queue, req);
    },
  };
}
