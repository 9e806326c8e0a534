import {
  type CancelResult,
  type CleanRequest,
  type JobCounts,
  type JobRecord,
  type ListRequest,
  type ObliterateResult,
  type PromoteSelector,
  type QueueAdmin,
  type RetentionRequest,
  type RetentionResult,
  type RetrySelector,
  type UpdateDataResult,
  UnsupportedError,
} from '@mq/core';
import { dedupKey, keyIsLive } from './add-jobs.js';
import {
  cancelJob,
  cleanJobs,
  drainJobs,
  promoteJobs,
  removeJobs,
  retryJobs,
} from './admin-actions.js';
import type { MongoContext } from './context.js';
import { jobKey, stateOf, toRecord } from './documents.js';
import { pageQuery, stateQuery } from './listing.js';
import { policyRemoves } from './retention.js';
import { metaKey } from './sequence.js';

/** Queue administration on MongoDB; every read goes through an index (see the README). */
export class MongoQueueAdmin implements QueueAdmin {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Exact counts: five `countDocuments` in parallel, each an index count over
   * `{q, st, runAt}` or `{q, st, fs}` — O(matching entries), no payload read.
   */
  async counts(queue: string): Promise<JobCounts> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    const states = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;
    const n = await Promise.all(
      states.map((s) => this.ctx.jobs.countDocuments(stateQuery(queue, s, now).filter)),
    );
    return {
      waiting: n[0] ?? 0,
      delayed: n[1] ?? 0,
      active: n[2] ?? 0,
      completed: n[3] ?? 0,
      failed: n[4] ?? 0,
    };
  }

  async get(queue: string, id: string): Promise<JobRecord | null> {
    await this.ctx.ensure();
    const doc = await this.ctx.jobs.findOne(
      { _id: jobKey(queue, id) },
      { projection: { logs: 0 } },
    );
    return doc === null ? null : toRecord(doc, this.ctx.now());
  }

  async list(queue: string, req: ListRequest): Promise<JobRecord[]> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    const p = pageQuery(queue, req, now);
    if (p.limit === 0) return [];
    const docs = await this.ctx.jobs
      .find(p.filter, { sort: p.sort, skip: p.skip, limit: p.limit, projection: { logs: 0 } })
      .toArray();
    return docs.map((d) => toRecord(d, now));
  }

  async remove(queue: string, ids: string[]): Promise<string[]> {
    await this.ctx.ensure();
    return removeJobs(this.ctx, queue, ids);
  }

  async retry(queue: string, sel: RetrySelector): Promise<string[]> {
    await this.ctx.ensure();
    return retryJobs(this.ctx, queue, sel);
  }

  async promote(queue: string, sel: PromoteSelector): Promise<string[]> {
    await this.ctx.ensure();
    return promoteJobs(this.ctx, queue, sel);
  }

  async clean(queue: string, req: CleanRequest): Promise<string[]> {
    await this.ctx.ensure();
    return cleanJobs(this.ctx, queue, req);
  }

  async applyRetention(queue: string, req: RetentionRequest): Promise<RetentionResult> {
    await this.ctx.ensure();
    const now = this.ctx.now();
    const filter = { q: queue, st: req.state };
    const total = await this.ctx.jobs.countDocuments(filter);
    const from = Math.max(0, req.offset);
    const limit = Math.max(0, req.limit);
    if (limit === 0) return { removed: [], examined: 0 };
    const page = await this.ctx.jobs
      .find(filter, { sort: { fs: 1 }, skip: from, limit, projection: { id: 1, fin: 1, opts: 1 } })
      .toArray();
    const removed = page.filter((d, i) => {
      const policy = req.state === 'completed' ? d.opts.removeOnComplete : d.opts.removeOnFail;
      return policyRemoves(policy, d.fin ?? 0, total - 1 - (from + i), now);
    });
    if (removed.length > 0) {
      await this.ctx.jobs.deleteMany({ _id: { $in: removed.map((d) => d._id) }, st: req.state });
    }
    return { removed: removed.map((d) => d.id), examined: page.length };
  }

  async drain(queue: string, includeDelayed: boolean): Promise<number> {
    await this.ctx.ensure();
    return drainJobs(this.ctx, queue, includeDelayed);
  }

  async obliterate(queue: string, force: boolean): Promise<ObliterateResult> {
    await this.ctx.ensure();
    if (!force) {
      const active = await this.ctx.jobs.countDocuments({ q: queue, st: 'active' });
      if (active > 0) return { status: 'active', count: active };
    }
    await this.ctx.jobs.deleteMany({ q: queue });
    await this.ctx.dedup.deleteMany({ q: queue });
    await this.ctx.schedules.deleteMany({ queue });
    await this.ctx.meta.updateOne({ _id: metaKey(queue) }, { $unset: { paused: '' } });
    // Parked waits re-check (and find nothing): a spurious wake-up, never a stuck one.
    this.ctx.hub.wake(queue);
    return { status: 'ok' };
  }

  async setPaused(queue: string, paused: boolean): Promise<void> {
    await this.ctx.ensure();
    await this.ctx.meta.updateOne(
      { _id: metaKey(queue) },
      { $set: { paused }, $setOnInsert: { q: queue } },
      { upsert: true },
    );
    if (!paused) this.ctx.hub.wake(queue);
  }

  async isPaused(queue: string): Promise<boolean> {
    await this.ctx.ensure();
    const meta = await this.ctx.meta.findOne(
      { _id: metaKey(queue) },
      { projection: { paused: 1 } },
    );
    return meta?.paused === true;
  }

  async setProgress(queue: string, id: string, token: string, progress: string): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.jobs.updateOne(
      { _id: jobKey(queue, id), st: 'active', token },
      { $set: { progress } },
    );
    return r.matchedCount === 1;
  }

  async addLog(
    queue: string,
    id: string,
    token: string,
    line: string,
    keep: number,
  ): Promise<boolean> {
    await this.ctx.ensure();
    const r = await this.ctx.jobs.updateOne(
      { _id: jobKey(queue, id), st: 'active', token },
      { $push: { logs: { $each: [line], $slice: -Math.max(0, keep) } } },
    );
    if (r.matchedCount !== 1) return false;
    // FerretDB ignores `$slice`: trim with a second write, fenced by the same lease.
    if (this.ctx.ferret) await this.trimLogs(queue, id, token, keep);
    return true;
  }

  private async trimLogs(queue: string, id: string, token: string, keep: number): Promise<void> {
    const _id = jobKey(queue, id);
    const doc = await this.ctx.jobs.findOne(
      { _id, st: 'active', token },
      { projection: { logs: 1 } },
    );
    const logs = doc?.logs ?? [];
    if (logs.length <= keep) return;
    await this.ctx.jobs.updateOne(
      { _id, st: 'active', token },
      { $set: { logs: keep <= 0 ? [] : logs.slice(-keep) } },
    );
  }

  async getLogs(queue: string, id: string, offset: number, limit: number): Promise<string[]> {
    await this.ctx.ensure();
    const doc = await this.ctx.jobs.findOne(
      { _id: jobKey(queue, id) },
      { projection: { logs: 1 } },
    );
    const logs = doc?.logs ?? [];
    const from = Math.max(0, offset);
    return logs.slice(from, from + Math.max(0, limit));
  }

  async getDedupOwner(queue: string, dedupId: string): Promise<string | null> {
    await this.ctx.ensure();
    const key = await this.ctx.dedup.findOne({ _id: dedupKey(queue, dedupId) });
    if (key === null) return null;
    return (await keyIsLive(this.ctx, queue, key, this.ctx.now())) ? key.owner : null;
  }

  async removeDedupKey(queue: string, dedupId: string): Promise<boolean> {
    await this.ctx.ensure();
    const key = await this.ctx.dedup.findOneAndDelete({ _id: dedupKey(queue, dedupId) });
    // An expired key counts as gone, as on a store with native key expiry.
    return key !== null && (await keyIsLive(this.ctx, queue, key, this.ctx.now()));
  }

  async cancel(queue: string, id: string): Promise<CancelResult> {
    await this.ctx.ensure();
    return cancelJob(this.ctx, queue, id);
  }

  async updateData(
    queue: string,
    id: string,
    name: string,
    payload: string,
  ): Promise<UpdateDataResult> {
    await this.ctx.ensure();
    const _id = jobKey(queue, id);
    const r = await this.ctx.jobs.updateOne({ _id, name, st: 'queued' }, { $set: { payload } });
    if (r.matchedCount === 1) return { status: 'updated' };
    const doc = await this.ctx.jobs.findOne({ _id }, { projection: { name: 1, st: 1, runAt: 1 } });
    if (doc === null || doc.name !== name) return { status: 'not-found' };
    const state = stateOf(doc, this.ctx.now());
    if (state === 'waiting' || state === 'delayed')
      return this.updateData(queue, id, name, payload);
    return { status: 'not-updatable', state };
  }

  /** Queue-global limits are not offered (capabilities `globalRateLimit` / `globalConcurrency` are false). */
  async setGlobalLimits(): Promise<void> {
    throw new UnsupportedError('globalRateLimit', 'mongo');
  }

  async listQueues(): Promise<string[]> {
    await this.ctx.ensure();
    const [withJobs, paused, scheduled] = await Promise.all([
      this.ctx.jobs.distinct('q'),
      this.ctx.meta.distinct('q', { paused: true }),
      this.ctx.schedules.distinct('queue'),
    ]);
    return [...new Set<string>([...withJobs, ...paused, ...scheduled])].sort();
  }
}
