import type { WorkerInfo, WorkerRegistry } from '@mq/core';
import type { MongoContext } from './context.js';

/** Worker and scheduler heartbeats: one document per worker, live until its expiry. */
export class MongoWorkerRegistry implements WorkerRegistry {
  constructor(private readonly ctx: MongoContext) {}

  async heartbeat(info: Omit<WorkerInfo, 'lastSeen'>, ttlMs: number): Promise<void> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    await this.ctx.workers.replaceOne(
      { _id: info.id },
      { info: { ...info, lastSeen: now }, exp: now + ttlMs },
      { upsert: true },
    );
  }

  async unregister(id: string): Promise<void> {
    await this.ctx.ensure();
    await this.ctx.workers.deleteOne({ _id: id });
  }

  async list(queue?: string): Promise<WorkerInfo[]> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    // Dead entries are dropped here: the registry needs no TTL index or timer.
    await this.ctx.workers.deleteMany({ exp: { $lte: now } });
    const docs = await this.ctx.workers.find({ exp: { $gt: now } }).toArray();
    const out: WorkerInfo[] = [];
    for (const d of docs) {
      const info = d.info as WorkerInfo;
      const serves =
        queue === undefined ||
        info.queue === queue ||
        (info.kind === 'scheduler' && info.queue.split(',').includes(queue));
      if (serves) out.push(info);
    }
    return out;
  }
}
