import {
  canonicalJson,
  type FireResult,
  type FireTick,
  type ScheduleRecord,
  type ScheduleStore,
} from '@mq/core';
import { pushJobArgs } from './codec.js';
import type { BackendContext } from './context.js';
import type { Arg } from './script-runner.js';
import {
  FIRE,
  LIST_SCHEDULES,
  PAUSE_SCHEDULE,
  REMOVE_SCHEDULE,
  RESET_DRIFT,
  UPSERT_SCHEDULE,
} from './scripts/schedules.js';

const optNum = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : Number(v);

/** Builds a record from a schedule hash (HGETALL pairs). */
function decodeSchedule(queue: string, id: string, pairs: string[]): ScheduleRecord {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) h[pairs[i] as string] = pairs[i + 1] as string;
  const rec: ScheduleRecord = {
    id,
    queue,
    spec: JSON.parse(h.spec ?? '{}') as ScheduleRecord['spec'],
    template: JSON.parse(h.tpl ?? '{}') as ScheduleRecord['template'],
    paused: h.paused === '1',
    nextRunAt: h.next === undefined ? null : Number(h.next),
    runCount: Number(h.runs ?? 0),
    lateTicks: Number(h.late ?? 0),
    createdAt: Number(h.created ?? 0),
    updatedAt: Number(h.updated ?? 0),
  };
  const lastRunAt = optNum(h.lastRun);
  if (lastRunAt !== undefined) rec.lastRunAt = lastRunAt;
  const lastFiredAt = optNum(h.lastFired);
  if (lastFiredAt !== undefined) rec.lastFiredAt = lastFiredAt;
  const maxDriftMs = optNum(h.maxDrift);
  if (maxDriftMs !== undefined) rec.maxDriftMs = maxDriftMs;
  const driftSince = optNum(h.driftSince);
  if (driftSince !== undefined) rec.driftSince = driftSince;
  return rec;
}

/** Durable schedules: a hash per schedule, and `fire` as one compare-and-set script. */
export class RedisScheduleStore implements ScheduleStore {
  constructor(private readonly ctx: BackendContext) {}

  async upsert(record: ScheduleRecord): Promise<void> {
    const flag = await this.ctx.runQueue(UPSERT_SCHEDULE, record.queue, [
      record.id,
      // Canonical text, so the script's spec comparison compares the data.
      canonicalJson(record.spec),
      JSON.stringify(record.template),
      record.paused ? '1' : '0',
      record.nextRunAt ?? '',
      record.createdAt,
      record.updatedAt,
      record.runCount,
      record.lastRunAt ?? '',
      record.lastFiredAt ?? '',
    ]);
    this.ctx.registerIf(flag, record.queue);
  }

  async remove(queue: string, id: string): Promise<boolean> {
    return (await this.ctx.runQueue(REMOVE_SCHEDULE, queue, [id])) === 1;
  }

  async get(queue: string, id: string): Promise<ScheduleRecord | null> {
    return (await this.read(queue, id))[0] ?? null;
  }

  list(queue: string): Promise<ScheduleRecord[]> {
    return this.read(queue, '');
  }

  async setPaused(queue: string, id: string, paused: boolean): Promise<boolean> {
    return (await this.ctx.runQueue(PAUSE_SCHEDULE, queue, [id, paused ? '1' : '0'])) === 1;
  }

  async resetDrift(queue: string, id: string, now: number): Promise<boolean> {
    return (await this.ctx.runQueue(RESET_DRIFT, queue, [id, now])) === 1;
  }

  async fire(queue: string, id: string, tick: FireTick): Promise<FireResult> {
    const args: Arg[] = [
      id,
      tick.expectedRunAt,
      tick.nextRunAt ?? '',
      tick.firedAt,
      Math.floor(tick.lateAfterMs ?? 1000),
    ];
    if (tick.job !== null) pushJobArgs(args, tick.job);
    const reply = (await this.ctx.runQueue(FIRE, queue, args)) as unknown[];
    if (reply[0] !== 'fired') return { status: 'stale' };
    this.ctx.registerIf(reply[2], queue);
    return { status: 'fired', jobId: String(reply[1]) };
  }

  private async read(queue: string, id: string): Promise<ScheduleRecord[]> {
    const reply = (await this.ctx.runQueue(LIST_SCHEDULES, queue, [id])) as unknown[];
    const out: ScheduleRecord[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      out.push(decodeSchedule(queue, String(reply[i]), reply[i + 1] as string[]));
    }
    return out;
  }
}
