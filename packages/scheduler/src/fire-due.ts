import { type Backend, type NewJob, nextTick, type ScheduleRecord } from '@mq/core';

/** What one pass over a queue's schedules did. */
export interface FirePass {
  fired: number;
  skipped: number;
  /** The earliest planned tick still ahead (ms epoch), or null. */
  nextDue: number | null;
}

/** How missed ticks are handled; see `SchedulerOptions`. */
export interface MissedTickPolicy {
  missedTicks: 'skip' | 'catch-up';
  /** A tick later than this is missed (downtime), not merely late. */
  toleranceMs: number;
}

// A schedule far behind (e.g. every 10 ms after an hour down) must not monopolize a pass.
const MAX_TICKS_PER_PASS = 100;

/** The job a tick adds: its id is derived from the tick, so a tick can never add twice. */
function tickJob(s: ScheduleRecord, plannedAt: number): NewJob {
  return { ...s.template, id: `repeat:${s.id}:${plannedAt}`, delay: 0 };
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Fires every due tick of every schedule of `queue`. Each tick is a compare-and-set on
 * the schedule (`fire`), so any number of schedulers racing on the same tick add one
 * job; the loser sees `stale` and moves on. Ticks late by up to `toleranceMs` all fire
 * (a slow pass must not leave gaps); older ones follow the missed-tick policy.
 */
export async function fireDue(
  backend: Backend,
  queue: string,
  policy: MissedTickPolicy,
  now = Date.now(),
): Promise<FirePass> {
  const pass: FirePass = { fired: 0, skipped: 0, nextDue: null };
  for (const initial of await backend.schedules.list(queue)) {
    let s: ScheduleRecord = initial;
    for (let i = 0; i < MAX_TICKS_PER_PASS; i++) {
      if (s.paused || s.nextRunAt === null) break;
      const planned = s.nextRunAt;
      if (planned > now) {
        pass.nextDue = earliest(pass.nextDue, planned);
        break;
      }
      const following = nextTick(s.spec, planned, s.runCount + 1);
      const missed = now - planned > policy.toleranceMs && following !== null && following <= now;
      let nextRunAt = following;
      let job: NewJob | null = tickJob(s, planned);
      if (missed) {
        // Downtime: skip drops the missed ticks; catch-up fires this one for all of them.
        nextRunAt = nextTick(
          s.spec,
          now,
          policy.missedTicks === 'skip' ? s.runCount : s.runCount + 1,
        );
        if (policy.missedTicks === 'skip') job = null;
      }
      const res = await backend.schedules.fire(queue, s.id, {
        expectedRunAt: planned,
        nextRunAt,
        firedAt: now,
        job,
        lateAfterMs: policy.toleranceMs,
      });
      if (res.status === 'stale') break; // another scheduler moved it: its pass handles the rest
      if (job) pass.fired++;
      else pass.skipped++;
      s = { ...s, nextRunAt, runCount: s.runCount + (job ? 1 : 0) };
    }
  }
  return pass;
}
