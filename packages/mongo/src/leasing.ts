import type { ExtendResult, LeaseRef, ReservedJob, ReserveRequest, ReserveResult } from '@mq/core';
import type { AnyBulkWriteOperation, Filter } from 'mongodb';
import type { MongoContext } from './context.js';
import { type JobDoc, jobKey, toRecord } from './documents.js';
import { metaKey } from './sequence.js';
import type { TokenSource } from './tokens.js';

/** Claim order: highest priority first, then LIFO jobs newest first, then FIFO by add order. */
export const CLAIM_SORT = { pri: -1, ord: 1 } as const;

/** Jobs a claim may take at `now`: waiting, or delayed and due (no promotion step). */
export function claimable(queue: string, now: number): Filter<JobDoc> {
  return { q: queue, st: 'queued', runAt: { $lte: now } };
}

function leaseUpdate(req: ReserveRequest, token: string, now: number) {
  return {
    $set: {
      st: 'active' as const,
      token,
      workerId: req.workerId,
      leaseExp: now + req.leaseMs,
      // The lease's start; becomes `startedAt` when the attempt ends (see settle), so a
      // release restores the previous `startedAt` by dropping it.
      ls: now,
    },
    $inc: { as: 1 },
  };
}

/**
 * `reserve`: the paused check, then claims. One job: one `findOneAndUpdate`. More: a
 * batch claim (one sorted read of candidates, one `bulkWrite` of per-job
 * compare-and-set updates, one read of what was won), so the queue is sorted once per
 * call whatever `max`; candidates lost to competing workers are made up by direct
 * `findOneAndUpdate` claims — in parallel where updates are atomic, one after another
 * on FerretDB (parallel claims there can take one job twice).
 */
export async function reserveJobs(
  ctx: MongoContext,
  tokens: TokenSource,
  queue: string,
  req: ReserveRequest,
): Promise<ReserveResult> {
  await ctx.ensure();
  if (req.max <= 0) return { jobs: [] };
  const meta = await ctx.meta.findOne({ _id: metaKey(queue) }, { projection: { paused: 1 } });
  if (meta?.paused === true) return { jobs: [] };
  const now = ctx.now();
  if (req.max === 1) {
    const one = await claimOne(ctx, tokens, queue, req, now);
    return { jobs: one === undefined ? [] : [one] };
  }
  const batch = await claimBatch(ctx, tokens, queue, req, now);
  const jobs = batch.jobs;
  const missing = batch.candidates - jobs.length;
  if (missing > 0) {
    if (ctx.ferret) {
      for (let i = 0; i < missing; i++) {
        const one = await claimOne(ctx, tokens, queue, req, now);
        if (one === undefined) break;
        jobs.push(one);
      }
    } else {
      const more = await Promise.all(
        Array.from({ length: missing }, () => claimOne(ctx, tokens, queue, req, now)),
      );
      for (const j of more) if (j !== undefined) jobs.push(j);
    }
    jobs.sort((a, b) => b.job.priority - a.job.priority || ordOf(a) - ordOf(b));
  }
  return { jobs };
}

const ORD = Symbol('ord');

/** Tags a grant with its claim order (not part of the record) to order a batch. */
function withOrd(r: ReservedJob, ord: number): ReservedJob {
  (r as ReservedJob & { [ORD]?: number })[ORD] = ord;
  return r;
}

function ordOf(r: ReservedJob): number {
  return (r as ReservedJob & { [ORD]?: number })[ORD] ?? 0;
}

async function claimOne(
  ctx: MongoContext,
  tokens: TokenSource,
  queue: string,
  req: ReserveRequest,
  now: number,
): Promise<ReservedJob | undefined> {
  const token = tokens.next();
  const doc = await ctx.jobs.findOneAndUpdate(claimable(queue, now), leaseUpdate(req, token, now), {
    sort: CLAIM_SORT,
    returnDocument: 'after',
  });
  return doc === null ? undefined : withOrd({ job: toRecord(doc, now), token }, doc.ord);
}

/**
 * A batch claim in three round trips whatever `max`: the ids of the first `max`
 * claimable jobs, one unordered `bulkWrite` of per-job compare-and-set updates (each
 * still requires the job to be queued and due, so a job a competing worker took is
 * skipped, never taken twice), and one read of the jobs whose token is now ours.
 */
async function claimBatch(
  ctx: MongoContext,
  tokens: TokenSource,
  queue: string,
  req: ReserveRequest,
  now: number,
): Promise<{ jobs: ReservedJob[]; candidates: number }> {
  const candidates = await ctx.jobs
    .find(claimable(queue, now), { sort: CLAIM_SORT, limit: req.max, projection: { _id: 1 } })
    .toArray();
  if (candidates.length === 0) return { jobs: [], candidates: 0 };
  const issued = candidates.map(() => tokens.next());
  const ops: AnyBulkWriteOperation<JobDoc>[] = candidates.map((c, i) => ({
    updateOne: {
      filter: { _id: c._id, st: 'queued', runAt: { $lte: now } },
      update: leaseUpdate(req, issued[i] as string, now),
    },
  }));
  const res = await ctx.jobs.bulkWrite(ops, { ordered: false });
  if (res.modifiedCount === 0) return { jobs: [], candidates: candidates.length };
  const won = await ctx.jobs
    .find({ _id: { $in: candidates.map((c) => c._id) }, token: { $in: issued } })
    .toArray();
  const rank = new Map(candidates.map((c, i) => [c._id, i]));
  won.sort((a, b) => (rank.get(a._id) ?? 0) - (rank.get(b._id) ?? 0));
  return {
    jobs: won.map((doc) =>
      withOrd({ job: toRecord(doc, now), token: doc.token as string }, doc.ord),
    ),
    candidates: candidates.length,
  };
}

/**
 * `extend`: one `bulkWrite` of fenced lease updates, then one read that tells, per
 * lease, whether the token still holds the job (and whether cancel was requested).
 */
export async function extendLeases(
  ctx: MongoContext,
  queue: string,
  leases: readonly LeaseRef[],
  leaseMs: number,
): Promise<ExtendResult[]> {
  await ctx.ensure();
  if (leases.length === 0) return [];
  const now = ctx.now();
  const ids = leases.map((l) => jobKey(queue, l.jobId));
  await ctx.jobs.bulkWrite(
    leases.map((l, i) => ({
      updateOne: {
        filter: { _id: ids[i] as string, st: 'active', token: l.token },
        update: { $set: { leaseExp: now + leaseMs } },
      },
    })),
    { ordered: false },
  );
  const docs = await ctx.jobs
    .find({ _id: { $in: ids } }, { projection: { token: 1, st: 1, cancel: 1 } })
    .toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  return leases.map((l, i) => {
    const d = byId.get(ids[i] as string);
    if (d === undefined || d.st !== 'active' || d.token !== l.token) return 'lost';
    return d.cancel === true ? 'cancelled' : 'extended';
  });
}
