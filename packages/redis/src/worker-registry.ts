import type { WorkerInfo, WorkerRegistry } from '@mq/core';
import type { BackendContext } from './context.js';
import { WORKER_HEARTBEAT, WORKER_LIST } from './scripts/coordination.js';

/**
 * Worker heartbeats: a key per worker with a PX expiry (value "lastSeen|info JSON") and
 * a zset index by expiry, so `list` reads only live entries and stale index members are
 * trimmed by every heartbeat. `lastSeen` is the Redis server's clock.
 */
export class RedisWorkerRegistry implements WorkerRegistry {
  constructor(private readonly ctx: BackendContext) {}

  async heartbeat(info: Omit<WorkerInfo, 'lastSeen'>, ttlMs: number): Promise<void> {
    const k = this.ctx.keys;
    await this.ctx.scripts.run(
      WORKER_HEARTBEAT,
      [k.workerIndex, k.worker(info.id)],
      [info.id, JSON.stringify(info), Math.max(1, Math.ceil(ttlMs))],
    );
  }

  async unregister(id: string): Promise<void> {
    const k = this.ctx.keys;
    await Promise.all([
      this.ctx.conns.main.del(k.worker(id)),
      this.ctx.conns.main.zrem(k.workerIndex, id),
    ]);
  }

  async list(queue?: string): Promise<WorkerInfo[]> {
    const k = this.ctx.keys;
    const entryPrefix = k.worker('');
    const values = (await this.ctx.scripts.run(
      WORKER_LIST,
      [k.workerIndex],
      [entryPrefix],
    )) as string[];
    const out: WorkerInfo[] = [];
    for (const v of values) {
      const bar = v.indexOf('|');
      const info = JSON.parse(v.slice(bar + 1)) as Omit<WorkerInfo, 'lastSeen'>;
      if (queue !== undefined && !servesQueue(info, queue)) continue;
      out.push({ ...info, lastSeen: Number(v.slice(0, bar)) });
    }
    return out;
  }
}

/** A worker names one queue; a scheduler lists its queues comma-separated. */
function servesQueue(info: Omit<WorkerInfo, 'lastSeen'>, queue: string): boolean {
  return (
    info.queue === queue || (info.kind === 'scheduler' && info.queue.split(',').includes(queue))
  );
}
