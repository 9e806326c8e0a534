import type { LockStore } from '@mq/core';
import type { BackendContext } from './context.js';
import {
  type CoordinationStatements,
  coordinationStatements,
} from './sql/coordination-statements.js';

/**
 * Named locks with an owner and a TTL, as lease rows. (Advisory locks would die with
 * their session and cannot expire; a lease row is distributed and TTL-correct.)
 */
export class PostgresLockStore implements LockStore {
  private readonly sql: CoordinationStatements;

  constructor(private readonly ctx: BackendContext) {
    this.sql = coordinationStatements(ctx.names);
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows = await this.ctx.db.rows(this.sql.lockAcquire, [name, owner, Math.ceil(ttlMs)]);
    return rows.length > 0;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows = await this.ctx.db.rows(this.sql.lockRenew, [name, owner, Math.ceil(ttlMs)]);
    return rows.length > 0;
  }

  async release(name: string, owner: string): Promise<boolean> {
    const rows = await this.ctx.db.rows<{ held: boolean }>(this.sql.lockRelease, [name, owner]);
    return rows[0]?.held ?? false;
  }
}
