import type { CancelResult, CleanRequest, PromoteSelector, RetrySelector } from '@mq/core';
import { CANCELLED_ERROR } from '@mq/core/backend-kit';
import { releaseKeys } from './add-jobs.js';
import type { MongoContext } from './context.js';
import { type JobDoc, jobKey } from './documents.js';
import { stateQuery } from './listing.js';
import { finishWork } from './settling.js';

/**
 * Operator actions that move or delete jobs. Each job moves by its own fenced
 * single-document write (the expected state in the filter), so an action never undoes
 * what a worker did meanwhile; the ids returned are the writes that applied.
 */

/** Deletes the non-active jobs among `ids`, with their logs and the dedup keys they own. */
export async function removeJobs(ctx: MongoContext, queue: string, ids: readonly string[]) {
  const gone = await Promise.all(
    ids.map((id) => ctx.jobs.findOneAndDelete({ _id: jobKey(queue, id), st: { $ne: 'active' } })),
  );
  const removed = gone.filter((d): d is JobDoc => d !== null);
  await releaseKeys(ctx, queue, removed, true);
  return removed.map((d) => d.id);
}

const RESET = {
  $set: { st: 'queued' as const, am: 0, as: 0, stalls: 0 },
  $unset: { error: '', result: '', fin: '', fs: '', cancel: '', lt: '' } as const,
};

/** Failed/completed → waiting now, attempts reset. */
export async function retryJobs(ctx: MongoContext, queue: string, sel: RetrySelector) {
  const now = ctx.now();
  let picked: { id: string; st: JobDoc['st'][] }[];
  if ('ids' in sel) {
    picked = sel.ids.map((id) => ({ id, st: ['failed', 'completed'] }));
  } else {
    const docs = await ctx.jobs
      .find(
        { q: queue, st: sel.state },
        { sort: { fs: 1 }, limit: sel.limit, projection: { id: 1 } },
      )
      .toArray();
    picked = docs.map((d) => ({ id: d.id, st: [sel.state] }));
  }
  const done = await Promise.all(
    picked.map(async (p) => {
      const r = await ctx.jobs.updateOne(
        { _id: jobKey(queue, p.id), st: { $in: p.st } },
        { $set: { ...RESET.$set, runAt: now }, $unset: RESET.$unset },
      );
      return r.modifiedCount === 1 ? p.id : undefined;
    }),
  );
  const ids = done.filter((x): x is string => x !== undefined);
  if (ids.length > 0) ctx.hub.wake(queue);
  return ids;
}

/** Delayed → waiting now; by ids, or the soonest `limit`. */
export async function promoteJobs(ctx: MongoContext, queue: string, sel: PromoteSelector) {
  const now = ctx.now();
  let ids: string[];
  if ('ids' in sel) ids = [...sel.ids];
  else {
    const { filter, sort } = stateQuery(queue, 'delayed', now);
    const docs = await ctx.jobs
      .find(filter, { sort, limit: sel.limit, projection: { id: 1 } })
      .toArray();
    ids = docs.map((d) => d.id);
  }
  const done = await Promise.all(
    ids.map(async (id) => {
      const r = await ctx.jobs.updateOne(
        { _id: jobKey(queue, id), st: 'queued', runAt: { $gt: now } },
        { $set: { runAt: now } },
      );
      return r.modifiedCount === 1 ? id : undefined;
    }),
  );
  const out = done.filter((x): x is string => x !== undefined);
  if (out.length > 0) ctx.hub.wake(queue);
  return out;
}

/** `clean`: the oldest `limit` of `state` at or before `now - graceMs`. */
export async function cleanJobs(ctx: MongoContext, queue: string, req: CleanRequest) {
  const now = ctx.now();
  const cutoff = now - req.graceMs;
  if (req.limit <= 0) return [];
  const finished = req.state === 'completed' || req.state === 'failed';
  const { filter } = stateQuery(queue, req.state, now);
  const docs = await ctx.jobs
    .find(
      finished ? { ...filter, fin: { $lte: cutoff } } : { ...filter, createdAt: { $lte: cutoff } },
      {
        sort: finished ? { fs: 1 } : { createdAt: 1, ord: 1 },
        limit: req.limit,
        projection: { id: 1, dedupId: 1, st: 1 },
      },
    )
    .toArray();
  if (docs.length === 0) return [];
  const st = finished ? (req.state as 'completed' | 'failed') : ('queued' as const);
  await ctx.jobs.deleteMany({ _id: { $in: docs.map((d) => d._id) }, st });
  // Unfinished jobs lose their key (as `remove`); finished ones keep a live ttl key.
  if (!finished) await releaseKeys(ctx, queue, docs, true);
  return docs.map((d) => d.id);
}

/** Deletes waiting jobs (and delayed ones when asked); returns how many. */
export async function drainJobs(ctx: MongoContext, queue: string, includeDelayed: boolean) {
  const now = ctx.now();
  const filter = includeDelayed
    ? { q: queue, st: 'queued' as const }
    : { q: queue, st: 'queued' as const, runAt: { $lte: now } };
  const owners = await ctx.jobs
    .find({ ...filter, dedupId: { $exists: true } }, { projection: { id: 1, dedupId: 1 } })
    .toArray();
  const r = await ctx.jobs.deleteMany(filter);
  await releaseKeys(ctx, queue, owners, true);
  return r.deletedCount;
}

/** Waiting/delayed → failed as cancelled; active → flagged for its lease holder. */
export async function cancelJob(
  ctx: MongoContext,
  queue: string,
  id: string,
): Promise<CancelResult> {
  const now = ctx.now();
  const _id = jobKey(queue, id);
  const doc = await ctx.jobs.findOneAndUpdate(
    { _id, st: 'queued' },
    { $set: { st: 'failed', fin: now, fs: now * 1024, error: { ...CANCELLED_ERROR } } },
  );
  if (doc !== null) {
    const f: {
      key: string;
      id: string;
      dedupId?: string;
      state: 'failed';
      policy: JobDoc['opts']['removeOnFail'];
    } = {
      key: _id,
      id,
      state: 'failed',
      policy: doc.opts.removeOnFail,
    };
    if (doc.dedupId != null) f.dedupId = doc.dedupId;
    await finishWork(ctx, queue, [f], now);
    return 'cancelled';
  }
  const flagged = await ctx.jobs.updateOne({ _id, st: 'active' }, { $set: { cancel: true } });
  return flagged.matchedCount === 1 ? 'signalled' : 'not-cancellable';
}
