import type { WorkerInfo, WorkerRegistry } from '@mq/core';

interface Entry {
  info: WorkerInfo;
  expiresAt: number;
}

/** Worker and scheduler heartbeats; an entry vanishes `ttlMs` after its last beat. */
export function createWorkerRegistry(now: () => number): WorkerRegistry {
  const entries = new Map<string, Entry>();

  return {
    async heartbeat(info, ttlMs) {
      const at = now();
      entries.set(info.id, { info: { ...info, lastSeen: at }, expiresAt: at + ttlMs });
    },
    async unregister(id) {
      entries.delete(id);
    },
    async list(queue) {
      const at = now();
      const live: WorkerInfo[] = [];
      for (const [id, entry] of entries) {
        if (entry.expiresAt <= at) {
          entries.delete(id);
          continue;
        }
        if (queue === undefined || servesQueue(entry.info, queue)) live.push({ ...entry.info });
      }
      return live;
    },
  };
}

/** A worker names one queue; a scheduler lists its queues comma-separated. */
function servesQueue(info: WorkerInfo, queue: string): boolean {
  return (
    info.queue === queue || (info.kind === 'scheduler' && info.queue.split(',').includes(queue))
  );
}
