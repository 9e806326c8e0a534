import type { Backend } from '@mq/core';
import { stalledEvents } from '@mq/core/backend-kit';

/** Stalled jobs recovered and failed in one pass. */
export interface StalledPass {
  recovered: number;
  failed: number;
}

/** Returns expired leases of `queue` to waiting (or fails them past `maxStalls`). */
export async function recoverStalled(
  backend: Backend,
  queue: string,
  maxStalls: number,
): Promise<StalledPass> {
  let recovered = 0;
  let failed = 0;
  // Bounded batches: a huge backlog of expired leases must not block the loop for long.
  for (let i = 0; i < 100; i++) {
    const r = await backend.jobs.recoverExpired(queue, { maxStalls, limit: 1000 });
    recovered += r.recovered.length;
    failed += r.failed.length;
    // The same events as a worker's recovery publishes: live views cannot tell them apart.
    const events = stalledEvents(r.recovered, r.failed, Date.now());
    if (events.length > 0) await backend.events.publish(queue, events);
    if (r.recovered.length + r.failed.length < 1000) break;
  }
  return { recovered, failed };
}

/**
 * Applies each finished job's own retention policy (`removeOnComplete` /
 * `removeOnFail`, as stored with the job) to `queue`: the sweep that catches queues
 * gone quiet, whose age policies no settle has applied since. It never decides an age
 * of its own, so a job kept by its policy (`false`, a long age) is never removed.
 * Pages of `batch` jobs, oldest first, at most 100 pages per state; kept jobs are
 * stepped over by offset.
 */
export async function sweepRetention(
  backend: Backend,
  queue: string,
  batch: number,
): Promise<number> {
  let removed = 0;
  for (const state of ['completed', 'failed'] as const) {
    let offset = 0;
    for (let i = 0; i < 100; i++) {
      const r = await backend.admin.applyRetention(queue, { state, offset, limit: batch });
      removed += r.removed.length;
      offset += r.examined - r.removed.length;
      if (r.examined < batch) break;
    }
  }
  return removed;
}
