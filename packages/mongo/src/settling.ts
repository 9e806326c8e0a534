import type { KeepPolicy, RecoverRequest, RecoverResult, Settlement, SettleResult } from '@mq/core';
import { storableSettlements } from '@mq/core';
import { STALLED_ERROR } from '@mq/core/backend-kit';
import type { AnyBulkWriteOperation, UpdateFilter } from 'mongodb';
import { releaseKeys } from './add-jobs.js';
import type { MongoContext } from './context.js';
import { copyError, type JobDoc, jobKey } from './documents.js';
import { applyRetention, groupRetention } from './retention.js';
import type { FinishClock } from './sequence.js';

/**
 * Fields a lease leaves behind; dropped when the attempt ends. A cancel request stays
 * (it outlives a stall: the next holder learns it), until an operator retries the job.
 */
const LEASE_FIELDS = { token: '', workerId: '', leaseExp: '' } as const;

function outcomeUpdate(o: Settlement, mark: string, now: number, fs: number): UpdateFilter<JobDoc> {
  const end = { lt: mark };
  switch (o.kind) {
    case 'completed': {
      const set: Record<string, unknown> = { ...end, st: 'completed', fin: now, fs };
      const unset: Record<string, ''> = { ...LEASE_FIELDS };
      if (o.result === undefined) unset.result = '';
      else set.result = o.result;
      return { $set: set, $unset: unset, $inc: { am: 1 }, $rename: { ls: 'startedAt' } };
    }
    case 'failed':
      return {
        $set: { ...end, st: 'failed', fin: now, fs, error: copyError(o.error) },
        $unset: LEASE_FIELDS,
        $inc: { am: 1 },
        $rename: { ls: 'startedAt' },
      };
    case 'retry':
      return {
        $set: { ...end, st: 'queued', runAt: o.runAt, error: copyError(o.error) },
        $unset: LEASE_FIELDS,
        $inc: { am: 1 },
        $rename: { ls: 'startedAt' },
      };
    case 'released':
      // Never started: no attempt counted, `startedAt` stays the previous lease's.
      return {
        $set: { ...end, st: 'queued' },
        $unset: { ...LEASE_FIELDS, ls: '' },
        $inc: { as: -1 },
      };
  }
}

let calls = 0;
const callPrefix = Math.random().toString(36).slice(2, 10);
function nextCall(): string {
  return `${callPrefix}${(++calls).toString(36)}`;
}

/**
 * `settle`: one unordered `bulkWrite` of fenced updates (each filter requires the job to
 * be active under the outcome's token), one read that tells which applied (`lt`, the
 * last settling token), then the dedup keys of finished jobs and their retention.
 */
export async function settleOutcomes(
  ctx: MongoContext,
  clock: FinishClock,
  queue: string,
  input: readonly Settlement[],
): Promise<SettleResult[]> {
  await ctx.ensure();
  if (input.length === 0) return [];
  // A retry time no backend can store fails the job instead (see Settlement).
  const outcomes = storableSettlements(input as Settlement[]);
  const now = ctx.now();
  const ids = outcomes.map((o) => jobKey(queue, o.jobId));
  // Each write leaves a mark unique to this call, so the read below tells what *this*
  // call applied (a second settle of the same lease must come back lost).
  const call = nextCall();
  const marks = outcomes.map((o, i) => `${o.token}#${call}.${i}`);
  const ops: AnyBulkWriteOperation<JobDoc>[] = outcomes.map((o, i) => ({
    updateOne: {
      filter: { _id: ids[i] as string, st: 'active', token: o.token },
      update: outcomeUpdate(o, marks[i] as string, now, clock.next(now)),
    },
  }));
  await ctx.jobs.bulkWrite(ops, { ordered: false });
  const docs = await ctx.jobs
    .find(
      { _id: { $in: ids } },
      { projection: { lt: 1, st: 1, id: 1, dedupId: 1, runAt: 1, opts: 1 } },
    )
    .toArray();
  const byId = new Map(docs.map((d) => [d._id, d]));
  const results: SettleResult[] = [];
  const finished: {
    key: string;
    id: string;
    dedupId?: string;
    state: 'completed' | 'failed';
    policy: KeepPolicy;
  }[] = [];
  let wake = false;
  for (let i = 0; i < outcomes.length; i++) {
    const d = byId.get(ids[i] as string);
    const applied = d !== undefined && d.lt === marks[i];
    results.push(applied ? 'ok' : 'lost');
    if (!applied || d === undefined) continue;
    if (d.st === 'completed' || d.st === 'failed') {
      const policy = d.st === 'completed' ? d.opts.removeOnComplete : d.opts.removeOnFail;
      const f: (typeof finished)[number] = { key: d._id, id: d.id, state: d.st, policy };
      if (d.dedupId != null) f.dedupId = d.dedupId;
      finished.push(f);
    } else if (d.st === 'queued' && d.runAt <= now) {
      wake = true;
    }
  }
  await finishWork(ctx, queue, finished, now);
  if (wake) ctx.hub.wake(queue);
  return results;
}

/** What finishing jobs entails besides their own update: ttl-less keys, then retention. */
export async function finishWork(
  ctx: MongoContext,
  queue: string,
  finished: readonly {
    key: string;
    id: string;
    dedupId?: string;
    state: 'completed' | 'failed';
    policy: KeepPolicy;
  }[],
  now: number,
): Promise<void> {
  if (finished.length === 0) return;
  await releaseKeys(ctx, queue, finished, false);
  await applyRetention(ctx, queue, groupRetention(finished), now);
}

/**
 * `recoverExpired`: the expired leases (index `{q, st, leaseExp}`), each moved by a
 * fenced `updateOne` (token and expiry in the filter), so two recoverers — or a late
 * settle — never both apply.
 */
export async function recoverExpired(
  ctx: MongoContext,
  queue: string,
  req: RecoverRequest,
): Promise<RecoverResult> {
  await ctx.ensure();
  const result: RecoverResult = { recovered: [], failed: [] };
  if (req.limit <= 0) return result;
  const now = ctx.now();
  const expired = await ctx.jobs
    .find(
      { q: queue, st: 'active', leaseExp: { $lt: now } },
      {
        sort: { leaseExp: 1 },
        limit: req.limit,
        projection: { _id: 1, id: 1, token: 1, stalls: 1, dedupId: 1, opts: 1 },
      },
    )
    .toArray();
  const finished: {
    key: string;
    id: string;
    dedupId?: string;
    state: 'failed';
    policy: KeepPolicy;
  }[] = [];
  await Promise.all(
    expired.map(async (d) => {
      const fail = d.stalls + 1 > req.maxStalls;
      const filter = { _id: d._id, st: 'active' as const, token: d.token, leaseExp: { $lt: now } };
      const update: UpdateFilter<JobDoc> = fail
        ? {
            $set: { st: 'failed', fin: now, fs: now * 1024, error: { ...STALLED_ERROR } },
            $unset: LEASE_FIELDS,
            $inc: { stalls: 1 },
            $rename: { ls: 'startedAt' },
          }
        : {
            $set: { st: 'queued' },
            $unset: LEASE_FIELDS,
            $inc: { stalls: 1 },
            $rename: { ls: 'startedAt' },
          };
      const r = await ctx.jobs.updateOne(filter, update);
      if (r.modifiedCount === 0) return;
      if (fail) {
        result.failed.push(d.id);
        const f: (typeof finished)[number] = {
          key: d._id,
          id: d.id,
          state: 'failed',
          policy: d.opts.removeOnFail,
        };
        if (d.dedupId != null) f.dedupId = d.dedupId;
        finished.push(f);
      } else {
        result.recovered.push(d.id);
      }
    }),
  );
  // The keys are released before returning (a caller may look at them next); the
  // retention of stalled-out jobs runs behind, so the caller learns of the failures
  // (and emits their events) as soon as the jobs are failed in the store.
  if (finished.length > 0) {
    await releaseKeys(ctx, queue, finished, false);
    void applyRetention(ctx, queue, groupRetention(finished), now).catch((err: unknown) => {
      if (!ctx.closed()) {
        process.emitWarning(
          `@mq/mongo: retention after stalled recovery failed: ${String(err)}`,
          'MqRetentionWarning',
        );
      }
    });
  }
  if (result.recovered.length > 0) ctx.hub.wake(queue);
  return result;
}
