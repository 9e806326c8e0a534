import type { LockStore } from '@mq/core';

interface Lock {
  owner: string;
  expiresAt: number;
}

/**
 * Named locks with an owner and a TTL, within this process only (`distributedLocks` is
 * false). Expiry is checked when a lock is touched: no timers.
 */
export function createLockStore(now: () => number): LockStore {
  const locks = new Map<string, Lock>();
  /** The lock if it has not expired; an expired one is dropped on the way. */
  const current = (name: string, at: number): Lock | undefined => {
    const lock = locks.get(name);
    if (lock !== undefined && lock.expiresAt <= at) {
      locks.delete(name);
      return undefined;
    }
    return lock;
  };

  return {
    async acquire(name, owner, ttlMs) {
      const at = now();
      const lock = current(name, at);
      if (lock !== undefined && lock.owner !== owner) return false;
      locks.set(name, { owner, expiresAt: at + ttlMs });
      return true;
    },
    async renew(name, owner, ttlMs) {
      const at = now();
      const lock = current(name, at);
      if (lock === undefined || lock.owner !== owner) return false;
      lock.expiresAt = at + ttlMs;
      return true;
    },
    async release(name, owner) {
      const lock = current(name, now());
      if (lock === undefined || lock.owner !== owner) return false;
      locks.delete(name);
      return true;
    },
  };
}
