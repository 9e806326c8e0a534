import type { Backend } from '@mq/core';

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
    const at = Date.now();
    const events = [
      ...r.recovered.map((jobId) => ({ type: 'stalled' as const, jobId, at })),
      ...r.failed.map((jobId) => ({
        type: 'failed' as const,
        jobId,
        at,
        data: { name: 'StalledError' },
      })),
    ];
    if (events.length > 0) await backend.events.publish(queue, events);
    if (r.recovered.length + r.failed.length < 1000) break;
  }
  return { recovered, failed };
}

/** Removes completed/failed jobs past their age, `batch` at a time, at most 100 batches. */
export async function sweepRetention(
  backend: Backend,
  queue: string,
  ages: { completed: number; failed: number },
  batch: number,
): Promise<number> {
  let removed = 0;
  for (const state of ['completed', 'failed'] as const) {
    for (let i = 0; i < 100; i++) {
      const ids = await backend.admin.clean(queue, { state, graceMs: ages[state], limit: batch });
      removed += ids.length;
      if (ids.length < batch) break;
    }
  }
  return removed;
}
