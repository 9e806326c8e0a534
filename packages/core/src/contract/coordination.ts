/**
 * Named locks with an owner and a TTL. Mutual exclusion holds across processes only
 * where the backend declares the `distributedLocks` capability.
 */
export interface LockStore {
  /** Takes the lock if free or expired; true when `owner` now holds it. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lock if `owner` still holds it. */
  renew(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Frees the lock if `owner` holds it. */
  release(name: string, owner: string): Promise<boolean>;
}
