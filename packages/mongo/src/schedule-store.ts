import {
  canonicalJson,
  type FireResult,
  type FireTick,
  type ScheduleRecord,
  type ScheduleStore,
} from '@mq/core';
import { addJobs } from './add-jobs.js';
import { isDuplicateKey, type MongoContext } from './context.js';
import { jobKey } from './documents.js';

type ScheduleDoc = ScheduleRecord & { _id: string };

function scheduleKey(queue: string, id: string): string {
  return `${queue}|${id}`;
}

function toSchedule(doc: ScheduleDoc): ScheduleRecord {
  const { _id, specKey: _key, ...rec } = doc as ScheduleDoc & { specKey?: string };
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

  /**
   * Three single-document steps, each conditional, so no read-then-write: (1) the same
   * spec fired since the writer read it (`runCount` above the record's) — keep its
   * `nextRunAt`; (2) otherwise replace the definition and plan; (3) no such schedule —
   * insert it, and go round again if another writer inserted first.
   */
  async upsert(record: ScheduleRecord): Promise<void> {
    await this.ctx.ensure();
    const _id = scheduleKey(record.queue, record.id);
    // Canonical text of the spec, so "the same spec" compares data, not key order.
    const specKey = canonicalJson(record.spec);
    const definition = {
      spec: record.spec,
      specKey,
      template: record.template,
      paused: record.paused,
      updatedAt: record.updatedAt,
    };
    for (;;) {
      const kept = await this.ctx.schedules.updateOne(
        { _id, specKey, runCount: { $gt: record.runCount } },
        { $set: definition },
      );
      if (kept.matchedCount === 1) return;
      const replaced = await this.ctx.schedules.updateOne(
        { _id, $or: [{ specKey: { $ne: specKey } }, { runCount: { $lte: record.runCount } }] },
        { $set: { ...definition, nextRunAt: record.nextRunAt } },
      );
      if (replaced.matchedCount === 1) return;
      const doc: Record<string, unknown> = {
        _id,
        queue: record.queue,
        id: record.id,
        ...definition,
        nextRunAt: record.nextRunAt,
        runCount: record.runCount,
        createdAt: record.createdAt,
        lateTicks: 0,
      };
      if (record.lastRunAt !== undefined) doc.lastRunAt = record.lastRunAt;
      if (record.lastFiredAt !== undefined) doc.lastFiredAt = record.lastFiredAt;
      try {
        await this.ctx.schedules.insertOne(doc as unknown as ScheduleDoc);
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
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
