import {
  type CancelResult,
  type CleanRequest,
  JOB_STATES,
  type JobCounts,
  type JobRecord,
  type JobState,
  type ListRequest,
  type ObliterateResult,
  type PromoteSelector,
  type QueueAdmin,
  type RetentionRequest,
  type RetentionResult,
  type RetrySelector,
  type UpdateDataResult,
} from '@mq/core';
import type { BackendContext } from './context.js';
import { type AdminStatements, adminStatements } from './sql/admin-statements.js';
import { type JobRow, toJobRecord } from './sql/job-row.js';

// Counter rows per queue (one per writing backend) before counts() folds them.
const COMPACT_AFTER_SHARDS = 64;
// Rows deleted per statement by drain/obliterate: bounded transactions, bounded WAL bursts.
const DELETE_BATCH = 5000;

/** Queue administration on PostgreSQL; counts come from counters, never from job rows. */
export class PostgresQueueAdmin implements QueueAdmin {
  private readonly sql: AdminStatements;

  constructor(private readonly ctx: BackendContext) {
    this.sql = adminStatements(ctx.names);
  }

  async counts(queue: string): Promise<JobCounts> {
    const rows = await this.ctx.db.rows<{ state: string; n: number; shards: number }>(
      this.sql.counts,
      [queue],
    );
    const out = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as JobCounts;
    let shards = 0;
    for (const r of rows) {
      if (r.state in out) out[r.state as keyof JobCounts] = r.n;
      shards += r.shards;
    }
    if (shards > COMPACT_AFTER_SHARDS) await this.ctx.db.rows(this.sql.compactCounts, [queue]);
    return out;
  }

  async get(queue: string, id: string): Promise<JobRecord | null> {
    const rows = await this.ctx.db.rows<JobRow>(this.sql.get, [queue, id]);
    return rows[0] ? toJobRecord(queue, rows[0]) : null;
  }

  async list(queue: string, req: ListRequest): Promise<JobRecord[]> {
    const rows = await this.ctx.db.rows<JobRow>(this.sql.list[req.state][req.order], [
      queue,
      Math.max(0, req.offset ?? 0),
      Math.max(0, req.limit ?? 100),
    ]);
    return rows.map((r) => toJobRecord(queue, r));
  }

  async remove(queue: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.ctx.db.rows<{ id: string }>(this.sql.remove, [queue, ids]);
    const removed = new Set(rows.map((r) => r.id));
    return ids.filter((id, i) => removed.has(id) && ids.indexOf(id) === i);
  }

  async retry(queue: string, sel: RetrySelector): Promise<string[]> {
    if ('ids' in sel) {
      if (sel.ids.length === 0) return [];
      const rows = await this.ctx.db.rows<{ id: string }>(this.sql.retryIds, [queue, sel.ids]);
      const done = new Set(rows.map((r) => r.id));
      return sel.ids.filter((id, i) => done.has(id) && sel.ids.indexOf(id) === i);
    }
    const rows = await this.ctx.db.rows<{ id: string }>(this.sql.retryState[sel.state], [
      queue,
      sel.limit,
    ]);
    return rows.map((r) => r.id);
  }

  async promote(queue: string, sel: PromoteSelector): Promise<string[]> {
    if ('ids' in sel) {
      if (sel.ids.length === 0) return [];
      const rows = await this.ctx.db.rows<{ id: string }>(this.sql.promoteIds, [queue, sel.ids]);
      const done = new Set(rows.map((r) => r.id));
      return sel.ids.filter((id, i) => done.has(id) && sel.ids.indexOf(id) === i);
    }
    const rows = await this.ctx.db.rows<{ id: string }>(this.sql.promoteLimit, [queue, sel.limit]);
    return rows.map((r) => r.id);
  }

  async clean(queue: string, req: CleanRequest): Promise<string[]> {
    const rows = await this.ctx.db.rows<{ id: string }>(this.sql.clean[req.state], [
      queue,
      Math.max(0, Math.floor(req.graceMs)),
      req.limit,
    ]);
    return rows.map((r) => r.id);
  }

  async applyRetention(queue: string, req: RetentionRequest): Promise<RetentionResult> {
    const rows = await this.ctx.db.rows<{ examined: number; removed: string[] }>(
      this.sql.applyRetention[req.state],
      [queue, Math.max(0, Math.floor(req.offset)), Math.max(0, Math.floor(req.limit))],
    );
    return { examined: rows[0]?.examined ?? 0, removed: rows[0]?.removed ?? [] };
  }

  async drain(queue: string, includeDelayed: boolean): Promise<number> {
    let total = 0;
    for (const state of includeDelayed
      ? (['waiting', 'delayed'] as const)
      : (['waiting'] as const)) {
      for (;;) {
        const rows = await this.ctx.db.rows<{ n: number }>(this.sql.drainBatch[state], [
          queue,
          DELETE_BATCH,
        ]);
        const n = rows[0]?.n ?? 0;
        total += n;
        if (n < DELETE_BATCH) break;
      }
    }
    return total;
  }

  async obliterate(queue: string, force: boolean): Promise<ObliterateResult> {
    if (!force) {
      const rows = await this.ctx.db.rows<{ n: number }>(this.sql.activeCount, [queue]);
      const count = rows[0]?.n ?? 0;
      if (count > 0) return { status: 'active', count };
    }
    for (;;) {
      const rows = await this.ctx.db.rows<{ n: number }>(this.sql.obliterateBatch, [
        queue,
        DELETE_BATCH,
      ]);
      if ((rows[0]?.n ?? 0) < DELETE_BATCH) break;
    }
    await this.ctx.db.rows(this.sql.obliterateRest, [queue]);
    await this.ctx.db.rows(this.sql.compactCounts, [queue]);
    return { status: 'ok' };
  }

  async setPaused(queue: string, paused: boolean): Promise<void> {
    await this.ctx.db.rows(this.sql.setPaused, [queue, paused, this.ctx.names.jobsChannel]);
  }

  async isPaused(queue: string): Promise<boolean> {
    const rows = await this.ctx.db.rows<{ paused: boolean }>(this.sql.isPaused, [queue]);
    return rows[0]?.paused ?? false;
  }

  async setProgress(queue: string, id: string, token: string, progress: string): Promise<boolean> {
    const rows = await this.ctx.db.rows(this.sql.setProgress, [queue, id, token, progress]);
    return rows.length > 0;
  }

  async addLog(
    queue: string,
    id: string,
    token: string,
    line: string,
    keep: number,
  ): Promise<boolean> {
    const rows = await this.ctx.db.rows<{ ok: number }>(this.sql.addLog, [
      queue,
      id,
      token,
      line,
      Math.max(1, Math.floor(keep)),
    ]);
    return (rows[0]?.ok ?? 0) > 0;
  }

  async getLogs(queue: string, id: string, offset: number, limit: number): Promise<string[]> {
    const rows = await this.ctx.db.rows<{ line: string }>(this.sql.getLogs, [
      queue,
      id,
      Math.max(0, offset),
      Math.max(0, limit),
    ]);
    return rows.map((r) => r.line);
  }

  async getDedupOwner(queue: string, dedupId: string): Promise<string | null> {
    const rows = await this.ctx.db.rows<{ owner_id: string }>(this.sql.getDedupOwner, [
      queue,
      dedupId,
    ]);
    return rows[0]?.owner_id ?? null;
  }

  async removeDedupKey(queue: string, dedupId: string): Promise<boolean> {
    const rows = await this.ctx.db.rows<{ live: boolean }>(this.sql.removeDedupKey, [
      queue,
      dedupId,
    ]);
    return rows[0]?.live ?? false;
  }

  async cancel(queue: string, id: string): Promise<CancelResult> {
    const rows = await this.ctx.db.rows<{ result: CancelResult }>(this.sql.cancel, [queue, id]);
    return rows[0]?.result ?? 'not-cancellable';
  }

  async updateData(
    queue: string,
    id: string,
    name: string,
    payload: string,
  ): Promise<UpdateDataResult> {
    const rows = await this.ctx.db.rows<{ updated: number; state: string | null }>(
      this.sql.updateData,
      [queue, id, name, payload],
    );
    const r = rows[0];
    if (r !== undefined && r.updated > 0) return { status: 'updated' };
    if (r === undefined || r.state === null) return { status: 'not-found' };
    return { status: 'not-updatable', state: r.state as JobState };
  }

  async setGlobalLimits(
    queue: string,
    limits: { rate?: { max: number; duration: number } | null; concurrency?: number | null },
  ): Promise<void> {
    const setRate = limits.rate !== undefined;
    const setConc = limits.concurrency !== undefined;
    if (!setRate && !setConc) return;
    await this.ctx.db.rows(this.sql.setLimits, [
      queue,
      setRate,
      limits.rate?.max ?? null,
      limits.rate?.duration ?? null,
      setConc,
      limits.concurrency ?? null,
      this.ctx.names.jobsChannel,
    ]);
  }

  async listQueues(): Promise<string[]> {
    const rows = await this.ctx.db.rows<{ queue: string }>(this.sql.listQueues, []);
    return rows.map((r) => r.queue);
  }
}
