import type { LockStore } from '@mq/core';
import { isDuplicateKey, type MongoContext } from './context.js';

/**
 * Locks as lease documents (`_id` = name, owner, expiry). `acquire` is one upsert whose
 * filter matches only a free (expired) lock or one the owner holds: when another owner
 * holds it, the upsert's insert collides on `_id` (E11000) and the answer is no.
 * Exclusive across processes on servers with atomic single-document updates.
 */
export class MongoLockStore implements LockStore {
  constructor(private readonly ctx: MongoContext) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    try {
      await this.ctx.locks.updateOne(
        { _id: name, $or: [{ exp: { $lte: now } }, { owner }] },
        { $set: { owner, exp: now + ttlMs } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    const r = await this.ctx.locks.updateOne(
      { _id: name, owner, exp: { $gt: now } },
      { $set: { exp: now + ttlMs } },
    );
    return r.matchedCount === 1;
  }

  async release(name: string, owner: string): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.locks.deleteOne({ _id: name, owner, exp: { $gt: this.ctx.now() } });
    return r.deletedCount === 1;
  }
}
