/** What a worker (or scheduler) reports about itself. */
export interface WorkerInfo {
  id: string;
  /** `worker` or `scheduler`. */
  kind: 'worker' | 'scheduler';
  /** The queue a worker consumes; schedulers list theirs comma-separated. */
  queue: string;
  host: string;
  pid: number;
  concurrency: number;
  /** ms epoch. */
  startedAt: number;
  /** ms epoch of the last heartbeat (set by the registry). */
  lastSeen: number;
}

/** Worker heartbeats with freshness. */
export interface WorkerRegistry {
  /** Records `info` with `lastSeen = now`; the entry disappears `ttlMs` after the last beat. */
  heartbeat(info: Omit<WorkerInfo, 'lastSeen'>, ttlMs: number): Promise<void>;
  /** Removes the entry at once (graceful shutdown). */
  unregister(id: string): Promise<void>;
  /** Live entries, optionally for one queue. */
  list(queue?: string): Promise<WorkerInfo[]>;
}
