import type { KeepPolicy } from '@mq/core';
import { storableCount, storableDuration } from '@mq/core';
import type { MongoContext } from './context.js';

/** Retention deletes at most this many jobs per policy and settle call (bounded work). */
export const MAX_RETENTION_DELETIONS = 1000;

/** One policy to apply to a finished state after a settle. */
export interface RetentionWork {
  state: 'completed' | 'failed';
  policy: KeepPolicy;
  /** Jobs just finished under a `true` policy (deleted outright). */
  ids: string[];
}

/** Groups the just-finished jobs by state and policy, so each distinct policy runs once. */
export function groupRetention(
  finished: readonly { key: string; state: 'completed' | 'failed'; policy: KeepPolicy }[],
): RetentionWork[] {
  const groups = new Map<string, RetentionWork>();
  for (const f of finished) {
    if (f.policy === false) continue;
    const name = `${f.state}:${JSON.stringify(f.policy)}`;
    let g = groups.get(name);
    if (g === undefined) {
      g = { state: f.state, policy: f.policy, ids: [] };
      groups.set(name, g);
    }
    g.ids.push(f.key);
  }
  return [...groups.values()];
}

/**
 * Applies the policies of jobs a settle just finished: `true` deletes them; an age
 * deletes the state's jobs finished before `now - age`; a count keeps the state's
 * `count` most recently finished (ordered by the finish clock `fs`). Each is one or two
 * commands, bounded to {@link MAX_RETENTION_DELETIONS} deletions.
 */
export async function applyRetention(
  ctx: MongoContext,
  queue: string,
  work: readonly RetentionWork[],
  now: number,
): Promise<void> {
  for (const w of work) {
    const p = w.policy;
    if (p === true) {
      await ctx.jobs.deleteMany({ _id: { $in: w.ids }, st: w.state });
      continue;
    }
    if (p === false) continue;
    const count = typeof p === 'number' ? p : p.count;
    const age = typeof p === 'number' ? undefined : p.age;
    if (age !== undefined) {
      const cutoff = now - storableDuration(age);
      const old = await ctx.jobs
        .find(
          { q: queue, st: w.state, fin: { $lt: cutoff } },
          { sort: { fs: 1 }, limit: MAX_RETENTION_DELETIONS, projection: { _id: 1 } },
        )
        .toArray();
      if (old.length > 0) {
        await ctx.jobs.deleteMany({ _id: { $in: old.map((d) => d._id) }, st: w.state });
      }
    }
    if (count !== undefined) await trimToCount(ctx, queue, w.state, storableCount(count));
  }
}

async function trimToCount(
  ctx: MongoContext,
  queue: string,
  state: 'completed' | 'failed',
  keep: number,
): Promise<void> {
  const excess = await ctx.jobs
    .find(
      { q: queue, st: state },
      { sort: { fs: -1 }, skip: keep, limit: MAX_RETENTION_DELETIONS, projection: { _id: 1 } },
    )
    .toArray();
  if (excess.length > 0) {
    await ctx.jobs.deleteMany({ _id: { $in: excess.map((d) => d._id) }, st: state });
  }
}

/** True when the job's own `policy` removes it (see `QueueAdmin.applyRetention`). */
export function policyRemoves(
  policy: KeepPolicy,
  finishedAt: number,
  newer: number,
  now: number,
): boolean {
  if (policy === false) return false;
  if (policy === true) return true;
  if (typeof policy === 'number') return newer >= policy;
  if (policy.age !== undefined && finishedAt < now - policy.age) return true;
  return policy.count !== undefined && newer >= policy.count;
}
