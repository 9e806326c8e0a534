import {
  canonicalJson,
  type FireResult,
  type FireTick,
  type ScheduleRecord,
  type ScheduleStore,
} from '@mq/core';
import type { BackendContext } from './context.js';
import {
  type CoordinationStatements,
  coordinationStatements,
} from './sql/coordination-statements.js';
import { encodeKeep } from './sql/job-row.js';
import { assertStorableText } from './sql/storable.js';

interface ScheduleRow {
  queue: string;
  id: string;
  spec: string;
  template: string;
  paused: boolean;
  next_run_at: number | null;
  last_run_at: number | null;
  last_fired_at: number | null;
  run_count: number;
  created_at: number;
  updated_at: number;
  max_drift_ms: number | null;
  late_ticks: number;
  drift_since: number | null;
}

/** Durable schedules; `fire` is one statement, so N schedulers fire a tick exactly once. */
export class PostgresScheduleStore implements ScheduleStore {
  private readonly sql: CoordinationStatements;

  constructor(private readonly ctx: BackendContext) {
    this.sql = coordinationStatements(ctx.names);
  }

  async upsert(r: ScheduleRecord): Promise<void> {
    assertStorableText('schedule', [['/id', r.id]]);
    await this.ctx.db.rows(this.sql.scheduleUpsert, [
      r.queue,
      r.id,
      // Canonical text, so the upsert's `spec = EXCLUDED.spec` compares the data.
      canonicalJson(r.spec),
      JSON.stringify(r.template),
      r.paused,
      r.nextRunAt,
      r.lastRunAt ?? null,
      r.lastFiredAt ?? null,
      r.runCount,
      r.createdAt,
      r.updatedAt,
    ]);
  }

  async remove(queue: string, id: string): Promise<boolean> {
    return (await this.ctx.db.rows(this.sql.scheduleRemove, [queue, id])).length > 0;
  }

  async get(queue: string, id: string): Promise<ScheduleRecord | null> {
    const rows = await this.ctx.db.rows<ScheduleRow>(this.sql.scheduleGet, [queue, id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(queue: string): Promise<ScheduleRecord[]> {
    const rows = await this.ctx.db.rows<ScheduleRow>(this.sql.scheduleList, [queue]);
    return rows.map(toRecord);
  }

  async setPaused(queue: string, id: string, paused: boolean): Promise<boolean> {
    return (await this.ctx.db.rows(this.sql.schedulePause, [queue, id, paused])).length > 0;
  }

  async resetDrift(queue: string, id: string, now: number): Promise<boolean> {
    return (await this.ctx.db.rows(this.sql.scheduleResetDrift, [queue, id, now])).length > 0;
  }

  async fire(queue: string, id: string, tick: FireTick): Promise<FireResult> {
    const j = tick.job;
    const lateAfter = Math.floor(tick.lateAfterMs ?? 1000);
    if (j === null) {
      const rows = await this.ctx.db.rows(this.sql.scheduleSkip, [
        queue,
        id,
        tick.expectedRunAt,
        tick.nextRunAt,
        tick.firedAt,
        lateAfter,
      ]);
      return rows.length > 0 ? { status: 'fired', jobId: '' } : { status: 'stale' };
    }
    const c = encodeKeep(j.opts.removeOnComplete);
    const f = encodeKeep(j.opts.removeOnFail);
    const rows = await this.ctx.db.rows<{ status: string; id: string }>(this.sql.scheduleFire, [
      queue,
      id,
      tick.expectedRunAt,
      tick.nextRunAt,
      tick.firedAt,
      j.id ?? null,
      j.name,
      j.payload,
      j.priority,
      j.lifo,
      Math.max(0, Math.floor(j.delay)),
      JSON.stringify(j.opts),
      c.age,
      c.count,
      f.age,
      f.count,
      j.dedup?.id ?? null,
      j.dedup?.ttl ?? null,
      j.dedup?.extend ?? false,
      j.dedup?.replace ?? false,
      lateAfter,
    ]);
    const row = rows[0];
    return row ? { status: 'fired', jobId: row.id } : { status: 'stale' };
  }
}

function toRecord(r: ScheduleRow): ScheduleRecord {
  const rec: ScheduleRecord = {
    id: r.id,
    queue: r.queue,
    spec: JSON.parse(r.spec) as ScheduleRecord['spec'],
    template: JSON.parse(r.template) as ScheduleRecord['template'],
    paused: r.paused,
    nextRunAt: r.next_run_at,
    runCount: r.run_count,
    lateTicks: r.late_ticks,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.last_run_at !== null) rec.lastRunAt = r.last_run_at;
  if (r.last_fired_at !== null) rec.lastFiredAt = r.last_fired_at;
  if (r.max_drift_ms !== null) rec.maxDriftMs = r.max_drift_ms;
  if (r.drift_since !== null) rec.driftSince = r.drift_since;
  return rec;
}
