import type { JobCounts, QueueAdmin } from '@mq/core';
import {
  cancelJob,
  cleanJobs,
  drainJobs,
  obliterateQueue,
  promoteJobs,
  removeJobs,
  retryJobs,
} from './admin-actions.js';
import { listJobs } from './listing.js';
import { applyOwnRetention } from './retention-sweep.js';
import type { MemoryStore } from './store.js';
import { type StoredJob, toRecord } from './stored-job.js';

/** Queue administration over the shared {@link MemoryStore}. Reads never create a queue. */
export function createQueueAdmin(store: MemoryStore): QueueAdmin {
  /** The active job `id` if `token` holds its lease. */
  const held = (queue: string, id: string, token: string): StoredJob | undefined => {
    const job = store.peek(queue)?.jobs.get(id);
    return job !== undefined && job.state === 'active' && job.token === token ? job : undefined;
  };

  return {
    async counts(queue) {
      const q = store.peek(queue);
      const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
      if (q !== undefined)
        for (const state of Object.keys(counts) as (keyof JobCounts)[])
          counts[state] = q.count(state);
      return counts;
    },
    async get(queue, id) {
      const job = store.peek(queue)?.jobs.get(id);
      return job === undefined ? null : toRecord(job);
    },
    async list(queue, req) {
      const q = store.peek(queue);
      return q === undefined ? [] : listJobs(q, req).map(toRecord);
    },
    async remove(queue, ids) {
      const q = store.peek(queue);
      return q === undefined ? [] : removeJobs(q, ids);
    },
    async retry(queue, sel) {
      const q = store.peek(queue);
      return q === undefined ? [] : retryJobs(store, q, sel);
    },
    async promote(queue, sel) {
      const q = store.peek(queue);
      return q === undefined ? [] : promoteJobs(store, q, sel);
    },
    async clean(queue, req) {
      const q = store.peek(queue);
      return q === undefined ? [] : cleanJobs(store, q, req);
    },
    async applyRetention(queue, req) {
      const q = store.peek(queue);
      return q === undefined
        ? { removed: [], examined: 0 }
        : applyOwnRetention(q, req, store.now());
    },
    async drain(queue, includeDelayed) {
      const q = store.peek(queue);
      return q === undefined ? 0 : drainJobs(q, includeDelayed);
    },
    async obliterate(queue, force) {
      return obliterateQueue(store, queue, force);
    },
    async setPaused(queue, paused) {
      const q = paused ? store.queue(queue) : store.peek(queue);
      if (q === undefined || q.paused === paused) return;
      q.paused = paused;
      if (!paused) store.wake(queue);
    },
    async isPaused(queue) {
      return store.peek(queue)?.paused ?? false;
    },
    async setProgress(queue, id, token, progress) {
      const job = held(queue, id, token);
      if (job === undefined) return false;
      job.progress = progress;
      return true;
    },
    async addLog(queue, id, token, line, keep) {
      const job = held(queue, id, token);
      if (job === undefined) return false;
      const logs = job.logs ?? [];
      job.logs = logs;
      logs.push(line);
      if (logs.length > keep) logs.splice(0, logs.length - Math.max(0, keep));
      return true;
    },
    async getLogs(queue, id, offset, limit) {
      const logs = store.peek(queue)?.jobs.get(id)?.logs;
      if (logs === undefined) return [];
      const from = Math.max(0, offset);
      return logs.slice(from, from + Math.max(0, limit));
    },
    async getDedupOwner(queue, dedupId) {
      return store.peek(queue)?.dedup.live(dedupId, store.now())?.owner ?? null;
    },
    async removeDedupKey(queue, dedupId) {
      const q = store.peek(queue);
      if (q === undefined) return false;
      // An expired key counts as gone, as it would on a store with native key expiry.
      const live = q.dedup.live(dedupId, store.now()) !== undefined;
      q.dedup.delete(dedupId);
      return live;
    },
    async cancel(queue, id) {
      const q = store.peek(queue);
      return q === undefined ? 'not-cancellable' : cancelJob(store, q, id);
    },
    async updateData(queue, id, name, payload) {
      const job = store.peek(queue)?.jobs.get(id);
      if (job === undefined || job.name !== name) return { status: 'not-found' };
      if (job.state !== 'waiting' && job.state !== 'delayed') {
        return { status: 'not-updatable', state: job.state };
      }
      job.payload = payload;
      return { status: 'updated' };
    },
    async setGlobalLimits(queue, limits) {
      const q = store.queue(queue);
      if (limits.rate !== undefined) {
        q.rate =
          limits.rate === null
            ? undefined
            : { max: limits.rate.max, duration: limits.rate.duration };
      }
      if (limits.concurrency !== undefined) {
        q.concurrency = limits.concurrency === null ? undefined : limits.concurrency;
      }
      // A looser limit may make held-back jobs reservable now.
      store.wake(queue);
    },
    async listQueues() {
      const names = new Set<string>();
      for (const [name, q] of store.queues) if (q.hasData()) names.add(name);
      for (const [name, schedules] of store.schedules) if (schedules.size > 0) names.add(name);
      return [...names].sort();
    },
  };
}
