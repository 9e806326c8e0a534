import type { LockStore } from '@mq/core';
import type { BackendContext } from './context.js';
import { LOCK_ACQUIRE, LOCK_RELEASE, LOCK_RENEW } from './scripts/coordination.js';

/**
 * Named locks: one key per lock holding the owner, with a PX expiry (Redis expires an
 * abandoned lock by itself). Renew and release are owner-checked scripts.
 */
export class RedisLockStore implements LockStore {
  constructor(private readonly ctx: BackendContext) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.run(LOCK_ACQUIRE, name, [owner, Math.max(1, Math.ceil(ttlMs))])) === 1;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.run(LOCK_RENEW, name, [owner, Math.max(1, Math.ceil(ttlMs))])) === 1;
  }

  async release(name: string, owner: string): Promise<boolean> {
    return (await this.run(LOCK_RELEASE, name, [owner])) === 1;
  }

  private run(s: typeof LOCK_ACQUIRE, name: string, args: (string | number)[]): Promise<unknown> {
    return this.ctx.scripts.run(s, [this.ctx.keys.lock(name)], args);
  }
}
