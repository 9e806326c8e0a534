import type { FireResult, FireTick, ScheduleRecord, ScheduleStore } from '@mq/core';
import { addJobs } from './add-jobs.js';
import type { MongoContext } from './context.js';
import { jobKey } from './documents.js';

type ScheduleDoc = ScheduleRecord & { _id: string };

function scheduleKey(queue: string, id: string): string {
  return `${queue}|${id}`;
}

function toSchedule(doc: ScheduleDoc): ScheduleRecord {
  const { _id, ...rec } = doc;
  return rec;
}

/**
 * Durable schedules. `fire` never needs a transaction: the tick's job gets an id
 * derived from the schedule and the planned time, so adding it is idempotent (a second
 * add is a duplicate), and the schedule advances by a compare-and-set on `nextRunAt`.
 * A crash between the two steps leaves the job added and the tick still expected; the
 * next attempt finds the job a duplicate and advances: neither lost nor doubled.
 */
export class MongoScheduleStore implements ScheduleStore {
  constructor(private readonly ctx: MongoContext) {}

  async upsert(record: ScheduleRecord): Promise<void> {
    await this.ctx.ensure();
    const set: Record<string, unknown> = {
      queue: record.queue,
      id: record.id,
      spec: record.spec,
      template: record.template,
      paused: record.paused,
      nextRunAt: record.nextRunAt,
      updatedAt: record.updatedAt,
    };
    const onInsert: Record<string, unknown> = {
      runCount: record.runCount,
      createdAt: record.createdAt,
      lateTicks: 0,
    };
    if (record.lastRunAt !== undefined) onInsert.lastRunAt = record.lastRunAt;
    if (record.lastFiredAt !== undefined) onInsert.lastFiredAt = record.lastFiredAt;
    await this.ctx.schedules.updateOne(
      { _id: scheduleKey(record.queue, record.id) },
      { $set: set, $setOnInsert: onInsert },
      { upsert: true },
    );
  }

  async remove(queue: string, id: string): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.schedules.deleteOne({ _id: scheduleKey(queue, id) });
    return r.deletedCount === 1;
  }

  async get(queue: string, id: string): Promise<ScheduleRecord | null> {
    await this.ctx.ensure();
    const doc = await this.ctx.schedules.findOne({ _id: scheduleKey(queue, id) });
    return doc === null ? null : toSchedule(doc);
  }

  async list(queue: string): Promise<ScheduleRecord[]> {
    await this.ctx.ensure();
    const docs = await this.ctx.schedules
      .find({ queue }, { sort: { createdAt: 1, _id: 1 } })
      .toArray();
    return docs.map(toSchedule);
  }

  async setPaused(queue: string, id: string, paused: boolean): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.schedules.updateOne(
      { _id: scheduleKey(queue, id) },
      { $set: { paused } },
    );
    return r.matchedCount === 1;
  }

  async fire(queue: string, id: string, tick: FireTick): Promise<FireResult> {
    await this.ctx.ensure();
    const _id = scheduleKey(queue, id);
    const expects = { _id, paused: false, nextRunAt: tick.expectedRunAt };
    const drift = tick.firedAt - tick.expectedRunAt;
    const late = drift > (tick.lateAfterMs ?? 1000) ? 1 : 0;
    if (tick.job === null) {
      const r = await this.ctx.schedules.updateOne(expects, {
        $set: { nextRunAt: tick.nextRunAt },
        $max: { maxDriftMs: drift },
        $inc: { lateTicks: late },
      });
      return r.matchedCount === 1 ? { status: 'fired', jobId: '' } : { status: 'stale' };
    }
    // Cheap early exit for the schedulers that lost the race.
    const current = await this.ctx.schedules.findOne(expects, { projection: { _id: 1 } });
    if (current === null) return { status: 'stale' };
    const job = { ...tick.job, id: tick.job.id ?? `${id}:${tick.expectedRunAt}` };
    const [added] = await addJobs(this.ctx, queue, [job]);
    const jobId = added?.id ?? job.id;
    const r = await this.ctx.schedules.updateOne(expects, {
      $set: { nextRunAt: tick.nextRunAt, lastRunAt: tick.expectedRunAt, lastFiredAt: tick.firedAt },
      $inc: { runCount: 1, lateTicks: late },
      $max: { maxDriftMs: drift },
    });
    if (r.matchedCount === 1) return { status: 'fired', jobId };
    // Lost the compare-and-set. If nobody fired this tick (the schedule was paused,
    // changed or removed meanwhile), the job this call added must not stay.
    const after = await this.ctx.schedules.findOne({ _id }, { projection: { lastRunAt: 1 } });
    if (added?.status === 'added' && after?.lastRunAt !== tick.expectedRunAt) {
      await this.ctx.jobs.deleteOne({ _id: jobKey(queue, jobId), st: 'queued' });
    }
    return { status: 'stale' };
  }

  async resetDrift(queue: string, id: string, now: number): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.schedules.updateOne(
      { _id: scheduleKey(queue, id) },
      { $unset: { maxDriftMs: '' }, $set: { lateTicks: 0, driftSince: now } },
    );
    return r.matchedCount === 1;
  }
}
