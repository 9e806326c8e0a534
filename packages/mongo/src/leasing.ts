import type { ExtendResult, LeaseRef, ReservedJob, ReserveRequest, ReserveResult } from '@mq/core';
import type { Filter } from 'mongodb';
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
 * `reserve`: the paused check, then `findOneAndUpdate` claims — each one atomic on the
 * server and never in conflict with a competing worker's (the server hands each the
 * next job). The first claim runs alone, so an empty queue costs one command; the other
 * `max - 1` run in parallel. Grants come back in claim order.
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
  const first = await claimOne(ctx, tokens, queue, req, now);
  if (first === undefined) return { jobs: [] };
  if (req.max === 1) return { jobs: [first] };
  const rest = await Promise.all(
    Array.from({ length: req.max - 1 }, () => claimOne(ctx, tokens, queue, req, now)),
  );
  const jobs = [first, ...rest.filter((j): j is ReservedJob => j !== undefined)];
  jobs.sort(
    (a, b) => b.job.priority - a.job.priority || orderOf(a) - orderOf(b),
  );
  return { jobs };
}

function orderOf(r: ReservedJob & { ord?: number }): number {
  return r.ord ?? 0;
}

async function claimOne(
  ctx: MongoContext,
  tokens: TokenSource,
  queue: string,
  req: ReserveRequest,
  now: number,
): Promise<ReservedJob | undefined> {
  const token = tokens.next();
  const doc = await ctx.jobs.findOneAndUpdate(
    claimable(queue, now),
    leaseUpdate(req, token, now),
    { sort: CLAIM_SORT, returnDocument: 'after' },
  );
  if (doc === null) return undefined;
  const out: ReservedJob & { ord?: number } = { job: toRecord(doc, now), token };
  // Kept off the record (not part of the contract) but needed to order a batch.
  Object.defineProperty(out, 'ord', { value: doc.ord, enumerable: false });
  return out;
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
