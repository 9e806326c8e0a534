import { canonicalJson, type FireResult, type ScheduleRecord, type ScheduleStore } from '@mq/core';
import { addJobs } from './add-jobs.js';
import type { MemoryStore } from './store.js';

/**
 * Schedules held in the process. `fire` is a real compare-and-set within the process
 * (synchronous, so two schedulers sharing this backend fire a tick once), but not
 * across processes: the capability `distributedSchedules` is false.
 */
export function createScheduleStore(store: MemoryStore): ScheduleStore {
  const find = (queue: string, id: string) => store.schedules.get(queue)?.get(id);

  return {
    async upsert(record) {
      let queue = store.schedules.get(record.queue);
      if (queue === undefined) {
        queue = new Map();
        store.schedules.set(record.queue, queue);
      }
      const next = structuredClone(record);
      const prev = queue.get(record.id);
      if (prev !== undefined) {
        // A tick fired since the writer read the schedule: its plan must not go back.
        if (prev.runCount > next.runCount && canonicalJson(prev.spec) === canonicalJson(next.spec))
          next.nextRunAt = prev.nextRunAt;
        next.runCount = prev.runCount;
        next.createdAt = prev.createdAt;
        keep(next, prev, 'lastRunAt');
        keep(next, prev, 'lastFiredAt');
        keep(next, prev, 'maxDriftMs');
        keep(next, prev, 'driftSince');
        next.lateTicks = prev.lateTicks ?? 0;
      } else {
        next.lateTicks = 0;
        delete next.maxDriftMs;
        delete next.driftSince;
      }
      queue.set(record.id, next);
    },
    async remove(queue, id) {
      const schedules = store.schedules.get(queue);
      if (schedules === undefined || !schedules.delete(id)) return false;
      if (schedules.size === 0) store.schedules.delete(queue);
      return true;
    },
    async get(queue, id) {
      const record = find(queue, id);
      return record === undefined ? null : structuredClone(record);
    },
    async list(queue) {
      return [...(store.schedules.get(queue)?.values() ?? [])].map((r) => structuredClone(r));
    },
    async setPaused(queue, id, paused) {
      const record = find(queue, id);
      if (record === undefined) return false;
      record.paused = paused;
      return true;
    },
    async fire(queue, id, tick): Promise<FireResult> {
      const record = find(queue, id);
      if (record === undefined || record.paused || record.nextRunAt !== tick.expectedRunAt) {
        return { status: 'stale' };
      }
      record.nextRunAt = tick.nextRunAt;
      const drift = tick.firedAt - tick.expectedRunAt;
      record.maxDriftMs = Math.max(record.maxDriftMs ?? drift, drift);
      if (drift > (tick.lateAfterMs ?? 1000)) record.lateTicks = (record.lateTicks ?? 0) + 1;
      // A null job skips a missed tick: only the plan moves.
      if (tick.job === null) return { status: 'fired', jobId: '' };
      const [added] = addJobs(store, queue, [tick.job]);
      record.lastRunAt = tick.expectedRunAt;
      record.lastFiredAt = tick.firedAt;
      record.runCount++;
      return { status: 'fired', jobId: added!.id };
    },
    async resetDrift(queue, id, now) {
      const record = find(queue, id);
      if (record === undefined) return false;
      delete record.maxDriftMs;
      record.lateTicks = 0;
      record.driftSince = now;
      return true;
    },
  };
}

/** Copies an optional field from `prev`, removing it from `next` when `prev` lacks it. */
function keep(
  next: ScheduleRecord,
  prev: ScheduleRecord,
  field: 'lastRunAt' | 'lastFiredAt' | 'maxDriftMs' | 'driftSince',
): void {
  const value = prev[field];
  if (value === undefined) delete next[field];
  else next[field] = value;
}
