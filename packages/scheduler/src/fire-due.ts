import { type Backend, type NewJob, nextTick, type ScheduleRecord } from '@mq/core';

/** What one pass over a queue's schedules did. */
export interface FirePass {
  fired: number;
  skipped: number;
  /** The earliest planned tick still ahead (ms epoch), or null. */
  nextDue: number | null;
}

/** The job a tick adds: its id is derived from the tick, so a tick can never add twice. */
function tickJob(s: ScheduleRecord, plannedAt: number): NewJob {
  return { ...s.template, id: `repeat:${s.id}:${plannedAt}`, delay: 0 };
}

/**
 * Fires every due schedule of `queue` once. Each tick is a compare-and-set on the
 * schedule (`fire`), so any number of schedulers racing on the same tick add one job.
 */
export async function fireDue(
  backend: Backend,
  queue: string,
  missedTicks: 'skip' | 'catch-up',
  now = Date.now(),
): Promise<FirePass> {
  const pass: FirePass = { fired: 0, skipped: 0, nextDue: null };
  for (const s of await backend.schedules.list(queue)) {
    if (s.paused || s.nextRunAt === null) continue;
    if (s.nextRunAt > now) {
      pass.nextDue = Math.min(pass.nextDue ?? Number.POSITIVE_INFINITY, s.nextRunAt);
      continue;
    }
    const planned = s.nextRunAt;
    const following = nextTick(s.spec, planned, s.runCount + 1);
    const missedMore = following !== null && following <= now;
    let res: Awaited<ReturnType<Backend['schedules']['fire']>>;
    if (missedMore && missedTicks === 'skip') {
      // Downtime: drop the missed ticks and wait for the first one still ahead.
      const ahead = nextTick(s.spec, now, s.runCount);
      res = await backend.schedules.fire(queue, s.id, {
        expectedRunAt: planned,
        nextRunAt: ahead,
        firedAt: now,
        job: null,
      });
      if (res.status === 'fired') pass.skipped++;
      if (ahead !== null) pass.nextDue = Math.min(pass.nextDue ?? Number.POSITIVE_INFINITY, ahead);
      continue;
    }
    const next = missedMore ? nextTick(s.spec, now, s.runCount + 1) : following;
    res = await backend.schedules.fire(queue, s.id, {
      expectedRunAt: planned,
      nextRunAt: next,
      firedAt: now,
      job: tickJob(s, planned),
    });
    if (res.status === 'fired') pass.fired++;
    if (next !== null) pass.nextDue = Math.min(pass.nextDue ?? Number.POSITIVE_INFINITY, next);
  }
  return pass;
}
