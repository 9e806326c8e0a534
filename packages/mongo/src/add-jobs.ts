import type { AddResult, NewJob } from '@mq/core';
import { storableDuration } from '@mq/core';
import type { AnyBulkWriteOperation } from 'mongodb';
import { isDuplicateKey, type MongoContext } from './context.js';
import { type DedupDoc, type JobDoc, jobKey } from './documents.js';
import { allocate } from './sequence.js';

/** A dedup key whose owner job is missing is taken over only after this long (a crashed add). */
const ORPHAN_KEY_MS = 10_000;

/** The `_id` of a dedup key. */
export function dedupKey(queue: string, id: string): string {
  return `${queue}|${id}`;
}

function buildDoc(queue: string, id: string, job: NewJob, seq: number, now: number): JobDoc {
  const delay = storableDuration(job.delay);
  const doc: JobDoc = {
    _id: jobKey(queue, id),
    q: queue,
    id,
    name: job.name,
    payload: job.payload,
    st: 'queued',
    pri: job.priority,
    lifo: job.lifo,
    // LIFO jobs sort first within a priority, newest first (negative), FIFO ones oldest first.
    ord: job.lifo ? -seq : seq,
    opts: job.opts,
    am: 0,
    as: 0,
    stalls: 0,
    createdAt: now,
    runAt: now + delay,
  };
  if (job.dedup !== undefined) doc.dedupId = job.dedup.id;
  return doc;
}

/**
 * `add`: jobId idempotency by the unique `_id` (an insert rejected with E11000 is a
 * duplicate), deduplication by the unique `_id` of the key document, never
 * find-then-insert. Jobs without a dedup spec go in one unordered `insertMany`.
 */
export async function addJobs(
  ctx: MongoContext,
  queue: string,
  jobs: readonly NewJob[],
): Promise<AddResult[]> {
  await ctx.ensure();
  const results: AddResult[] = new Array(jobs.length);
  if (jobs.length === 0) return results;
  const first = await allocate(ctx, queue, 'seq', jobs.length);
  const now = ctx.now();
  const plain: { index: number; doc: JobDoc }[] = [];
  const deduped: { index: number; doc: JobDoc; job: NewJob }[] = [];
  jobs.forEach((job, i) => {
    const seq = first + i;
    const doc = buildDoc(queue, job.id ?? String(seq), job, seq, now);
    if (job.dedup === undefined) plain.push({ index: i, doc });
    else deduped.push({ index: i, doc, job });
  });
  if (plain.length > 0) {
    const dup = await insertMany(
      ctx,
      plain.map((p) => p.doc),
    );
    // An auto id can only collide where the counter's `$inc` is not atomic (FerretDB):
    // such jobs get fresh numbers and go again; a custom id that exists is a duplicate.
    let retry = plain.filter((p, k) => dup.has(k) && jobs[p.index]?.id === undefined);
    plain.forEach((p, k) => {
      results[p.index] = dup.has(k)
        ? { status: 'duplicate', id: p.doc.id }
        : { status: 'added', id: p.doc.id };
    });
    for (let round = 0; retry.length > 0 && round < 10; round++) {
      const base = await allocate(ctx, queue, 'seq', retry.length);
      const docs = retry.map((p, k) =>
        buildDoc(queue, String(base + k), jobs[p.index] as NewJob, base + k, now),
      );
      const again = await insertMany(ctx, docs);
      retry.forEach((p, k) => {
        results[p.index] = {
          status: again.has(k) ? 'duplicate' : 'added',
          id: (docs[k] as JobDoc).id,
        };
      });
      retry = retry.filter((_, k) => again.has(k));
    }
  }
  for (const d of deduped) results[d.index] = await addDeduped(ctx, queue, d.doc, d.job, now);
  if (results.some((r) => r.status !== 'duplicate' && r.status !== 'deduplicated')) {
    ctx.hub.wake(queue);
  }
  return results;
}

/** Inserts `docs` unordered; returns the indexes rejected as duplicates. */
async function insertMany(ctx: MongoContext, docs: JobDoc[]): Promise<Set<number>> {
  const dup = new Set<number>();
  try {
    await ctx.jobs.insertMany(docs, { ordered: false });
  } catch (err) {
    const errors = (err as { writeErrors?: unknown }).writeErrors;
    const list = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
    if (list.length === 0) throw err;
    for (const e of list as { index: number; code?: number; err?: { code?: number } }[]) {
      const code = e.code ?? e.err?.code;
      if (code !== 11000) throw err;
      dup.add(e.index);
    }
  }
  return dup;
}

/**
 * Inserts the job that now owns `key`. A custom id that exists is a duplicate (the key
 * is given back); an auto id that collides (a non-atomic counter, FerretDB) is renumbered.
 */
async function insertOwned(
  ctx: MongoContext,
  doc: JobDoc,
  key: string,
  auto: boolean,
): Promise<boolean> {
  for (let round = 0; ; round++) {
    try {
      await ctx.jobs.insertOne(doc);
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (!auto || round >= 10) {
        await ctx.dedup.deleteOne({ _id: key, owner: doc.id });
        return false;
      }
      const seq = await allocate(ctx, doc.q, 'seq', 1);
      const old = doc.id;
      doc.id = String(seq);
      doc._id = jobKey(doc.q, doc.id);
      doc.ord = doc.lifo ? -seq : seq;
      await ctx.dedup.updateOne({ _id: key, owner: old }, { $set: { owner: doc.id } });
    }
  }
}

/** Whether `key` still deduplicates at `now`. */
export async function keyIsLive(
  ctx: MongoContext,
  queue: string,
  key: DedupDoc,
  now: number,
): Promise<boolean> {
  if (key.exp !== null) return key.exp > now;
  const owner = await ctx.jobs.findOne(
    { _id: jobKey(queue, key.owner) },
    { projection: { st: 1 } },
  );
  if (owner === null) return key.createdAt > now - ORPHAN_KEY_MS;
  return owner.st === 'queued' || owner.st === 'active';
}

async function addDeduped(
  ctx: MongoContext,
  queue: string,
  doc: JobDoc,
  job: NewJob,
  now: number,
): Promise<AddResult> {
  const spec = job.dedup!;
  // jobId idempotency comes first: an existing custom id wins over a live key.
  if (job.id !== undefined) {
    const found = await ctx.jobs.findOne({ _id: doc._id }, { projection: { _id: 1 } });
    if (found !== null) return { status: 'duplicate', id: doc.id };
  }
  const key = dedupKey(queue, spec.id);
  const exp = spec.ttl === undefined ? null : now + storableDuration(spec.ttl);
  // Bounded by time, not tries: under 20 racing `replace` producers one add may have to
  // wait out a chain of replacements.
  const deadline = Date.now() + 10_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    try {
      await ctx.dedup.insertOne({ _id: key, q: queue, owner: doc.id, exp, createdAt: now });
      return (await insertOwned(ctx, doc, key, job.id === undefined))
        ? { status: 'added', id: doc.id }
        : { status: 'duplicate', id: doc.id };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const current = await ctx.dedup.findOne({ _id: key });
    if (current === null) continue;
    if (!(await keyIsLive(ctx, queue, current, now))) {
      // A dead key is taken over by compare-and-set on its owner and expiry.
      const taken = await ctx.dedup.updateOne(
        { _id: key, owner: current.owner, exp: current.exp },
        { $set: { owner: doc.id, exp, createdAt: now } },
      );
      if (taken.matchedCount === 0) continue;
      return (await insertOwned(ctx, doc, key, job.id === undefined))
        ? { status: 'added', id: doc.id }
        : { status: 'duplicate', id: doc.id };
    }
    if (spec.replace === true) {
      const ownerKey = jobKey(queue, current.owner);
      const gone = await ctx.jobs.deleteOne({ _id: ownerKey, st: 'queued', runAt: { $gt: now } });
      if (gone.deletedCount === 1) {
        await ctx.dedup.updateOne(
          { _id: key, owner: current.owner },
          { $set: { owner: doc.id, exp, createdAt: now } },
        );
        if (await insertOwned(ctx, doc, key, job.id === undefined)) {
          return { status: 'replaced', id: doc.id, replacedId: current.owner };
        }
        return { status: 'duplicate', id: doc.id };
      }
      // A concurrent producer replaced the owner first (its job is gone, the key is
      // about to name the new one): look again rather than deduplicate on a dead owner.
      const owner = await ctx.jobs.findOne({ _id: ownerKey }, { projection: { _id: 1 } });
      if (owner === null) {
        await new Promise((r) => setTimeout(r, Math.min(20, 2 + attempt)));
        continue;
      }
    }
    if (spec.extend === true && spec.ttl !== undefined) {
      await ctx.dedup.updateOne({ _id: key, owner: current.owner }, { $set: { exp } });
    }
    return { status: 'deduplicated', id: current.owner };
  }
  // Ten seconds of lost races on one key: report the key's owner as of now.
  const owner = await ctx.dedup.findOne({ _id: key });
  return { status: 'deduplicated', id: owner?.owner ?? doc.id };
}

/** Bulk operations that drop the ttl-less keys `jobs` own (their owners finished). */
export function releaseKeyOps(
  queue: string,
  jobs: readonly { id: string; dedupId?: string | undefined }[],
  force: boolean,
): AnyBulkWriteOperation<DedupDoc>[] {
  const ops: AnyBulkWriteOperation<DedupDoc>[] = [];
  for (const j of jobs) {
    if (j.dedupId == null) continue;
    const filter = force
      ? { _id: dedupKey(queue, j.dedupId), owner: j.id }
      : { _id: dedupKey(queue, j.dedupId), owner: j.id, exp: null };
    ops.push({ deleteOne: { filter } });
  }
  return ops;
}

/** Drops the keys of `jobs` (see {@link releaseKeyOps}) in one unordered bulk write. */
export async function releaseKeys(
  ctx: MongoContext,
  queue: string,
  jobs: readonly { id: string; dedupId?: string | undefined }[],
  force: boolean,
): Promise<void> {
  const ops = releaseKeyOps(queue, jobs, force);
  if (ops.length > 0) await ctx.dedup.bulkWrite(ops, { ordered: false });
}
