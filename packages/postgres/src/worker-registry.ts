import type { WorkerInfo, WorkerRegistry } from '@mq/core';
import type { BackendContext } from './context.js';
import {
  type CoordinationStatements,
  coordinationStatements,
} from './sql/coordination-statements.js';

interface WorkerRow {
  id: string;
  kind: 'worker' | 'scheduler';
  queue: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: number;
  last_seen: number;
}

/** Worker heartbeats as rows with an expiry; `list` only returns live ones. */
export class PostgresWorkerRegistry implements WorkerRegistry {
  private readonly sql: CoordinationStatements;

  constructor(private readonly ctx: BackendContext) {
    this.sql = coordinationStatements(ctx.names);
  }

  async heartbeat(info: Omit<WorkerInfo, 'lastSeen'>, ttlMs: number): Promise<void> {
    await this.ctx.db.rows(this.sql.workerBeat, [
      info.id,
      info.kind,
      info.queue,
      info.host,
      info.pid,
      info.concurrency,
      info.startedAt,
      Math.ceil(ttlMs),
    ]);
  }

  async unregister(id: string): Promise<void> {
    await this.ctx.db.rows(this.sql.workerRemove, [id]);
  }

  async list(queue?: string): Promise<WorkerInfo[]> {
    const rows = await this.ctx.db.rows<WorkerRow>(this.sql.workerList, [queue ?? null]);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      queue: r.queue,
      host: r.host,
      pid: r.pid,
      concurrency: r.concurrency,
      startedAt: r.started_at,
      lastSeen: r.last_seen,
    }));
  }
}
