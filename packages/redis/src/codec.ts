import type {
  JobErrorInfo,
  JobRecord,
  JobState,
  KeepPolicy,
  NewJob,
  StoredJobOptions,
} from '@mq/core';
import { storableDuration } from '@mq/core';
import { keepRule, keepsForever, parseStoredOptions } from '@mq/core/backend-kit';
import { RedisReplyError } from './errors.js';
import type { Arg } from './script-runner.js';

/**
 * Encodes a retention policy for the scripts as "age:count" (-1 = unset), or "" for
 * keep-everything: `true` → "-1:0", `n` → "-1:n", `{ age, count }` → "age:count".
 * Both are plain digits within the stored bounds (`storableDuration`/`storableCount`):
 * a template string would write 1e300 as "1e+300", which the scripts' integer pattern
 * does not read.
 */
export function encodeKeep(policy: KeepPolicy): string {
  const rule = keepRule(policy);
  if (rule.removeNow) return '-1:0';
  return keepsForever(rule) ? '' : `${rule.age ?? -1}:${rule.count ?? -1}`;
}

/**
 * Packs the parts of a job no script reads into one hash field:
 * `<name length>:<opts length>:<priority>:<lifo 0|1>:<name><opts JSON><payload>`.
 * Lengths are in UTF-16 code units: the text is stored and read back as the same JS
 * string, so slicing by them is exact.
 */
export function packJob(
  job: Pick<NewJob, 'name' | 'payload' | 'priority' | 'lifo' | 'opts'>,
): string {
  const opts = JSON.stringify(job.opts);
  return `${job.name.length}:${opts.length}:${job.priority}:${job.lifo ? 1 : 0}:${job.name}${opts}${job.payload}`;
}

interface Unpacked {
  name: string;
  opts: StoredJobOptions;
  payload: string;
  priority: number;
  lifo: boolean;
}

/** Reverses {@link packJob}. */
export function unpackJob(packed: string, script: string): Unpacked {
  const head: number[] = [];
  let at = 0;
  for (let k = 0; k < 4; k++) {
    const colon = packed.indexOf(':', at);
    if (colon < 0) throw new RedisReplyError(script, 'a job record is not in the packed format');
    head.push(Number(packed.slice(at, colon)));
    at = colon + 1;
  }
  const [nameLen = 0, optsLen = 0, priority = 0, lifo = 0] = head;
  return {
    name: packed.slice(at, at + nameLen),
    opts: parseStoredOptions(packed.slice(at + nameLen, at + nameLen + optsLen)),
    payload: packed.slice(at + nameLen + optsLen),
    priority,
    lifo: lifo === 1,
  };
}

/**
 * The packed record up to (not including) its payload, and the task name: what stays
 * when only the data of a job changes.
 */
export function packedHead(packed: string, script: string): { head: string; name: string } {
  const u = unpackJob(packed, script);
  return { head: packed.slice(0, packed.length - u.payload.length), name: u.name };
}

/**
 * Appends the 10 `add` fields of `job` (see `addJob` in scripts/lib.ts) to `out`. The
 * delay and the dedup ttl go as integers within `MAX_STORED_DURATION`: a larger one
 * (1e300 is written "1e+300") is no integer to `SET … PX`, which failed the script after
 * it had written the job.
 */
export function pushJobArgs(out: Arg[], job: NewJob): void {
  const d = job.dedup;
  const ttl = d?.ttl === undefined ? 0 : storableDuration(d.ttl);
  out.push(
    job.id ?? '',
    packJob(job),
    job.priority,
    job.lifo ? '1' : '0',
    storableDuration(job.delay),
    `${encodeKeep(job.opts.removeOnComplete)}|${encodeKeep(job.opts.removeOnFail)}`,
    d?.id ?? '',
    ttl > 0 ? ttl : '',
    d?.extend === true ? '1' : '0',
    d?.replace === true ? '1' : '0',
  );
}

/** A reply value: bulk strings, integers (numbers a script computed), or nil. */
type Value = string | number | null | undefined;

/** A numeric field; absent, or '' (a cleared lease field), is undefined. */
const num = (v: Value): number | undefined =>
  v === null || v === undefined || v === '' ? undefined : Number(v);
const str = (v: Value): string | undefined =>
  v === null || v === undefined || v === '' ? undefined : String(v);

/** The record fields every read has: from `i` and the counters. */
function baseRecord(queue: string, id: string, state: JobState, packed: Value, script: string) {
  if (typeof packed !== 'string')
    throw new RedisReplyError(script, `job ${id} of queue ${queue} has no record`);
  const u = unpackJob(packed, script);
  const rec: JobRecord = {
    id,
    queue,
    name: u.name,
    payload: u.payload,
    state,
    priority: u.priority,
    lifo: u.lifo,
    opts: u.opts,
    attemptsMade: 0,
    attemptsStarted: 0,
    stalls: 0,
    createdAt: 0,
    runAt: 0,
  };
  return rec;
}

function optional(rec: JobRecord, dd: Value, pg: Value, rv: Value, er: Value): void {
  const dedupId = str(dd);
  if (dedupId !== undefined) rec.dedupId = dedupId;
  if (pg !== null && pg !== undefined) rec.progress = String(pg);
  if (rv !== null && rv !== undefined) rec.result = String(rv);
  if (er !== null && er !== undefined && er !== '')
    rec.error = JSON.parse(String(er)) as JobErrorInfo;
}

/**
 * A record from a full read (values in `JOB_FIELD_NAMES` order, scripts/lib.ts), or
 * null when the job hash is gone.
 */
export function decodeJob(queue: string, id: string, f: Value[], script: string): JobRecord | null {
  const [i, s, ct, dd, am, as, st, pg, rv, er, ra, sa, fa, wk, le, cr] = f;
  if (s === null || s === undefined) return null;
  const rec = baseRecord(queue, id, String(s) as JobState, i, script);
  rec.attemptsMade = num(am) ?? 0;
  rec.attemptsStarted = num(as) ?? 0;
  rec.stalls = num(st) ?? 0;
  rec.createdAt = num(ct) ?? 0;
  rec.runAt = num(ra) ?? 0;
  optional(rec, dd, pg, rv, er);
  const startedAt = num(sa);
  if (startedAt !== undefined) rec.startedAt = startedAt;
  const finishedAt = num(fa);
  if (finishedAt !== undefined) rec.finishedAt = finishedAt;
  // Scripts end a lease by clearing the token only: wk and le of a job that is no
  // longer active are left over from its last lease.
  if (rec.state === 'active') {
    const workerId = str(wk);
    if (workerId !== undefined) rec.workerId = workerId;
    const lease = num(le);
    if (lease !== undefined) rec.leaseExpiresAt = lease;
  }
  if (cr === '1') rec.cancelRequested = true;
  return rec;
}

/**
 * A record of a job `reserve` just leased (values in `LEASED_FIELD_NAMES` order): the
 * lease fields are the caller's.
 */
export function decodeLeased(
  queue: string,
  id: string,
  f: Value[],
  lease: { now: number; workerId: string; leaseMs: number },
): JobRecord {
  const [i, ct, dd, am, as, st, pg, rv, er, ra, , cr] = f;
  const rec = baseRecord(queue, id, 'active', i, 'reserve');
  rec.attemptsMade = num(am) ?? 0;
  rec.attemptsStarted = num(as) ?? 1;
  rec.stalls = num(st) ?? 0;
  rec.createdAt = num(ct) ?? 0;
  rec.runAt = num(ra) ?? 0;
  optional(rec, dd, pg, rv, er);
  rec.startedAt = lease.now;
  rec.workerId = lease.workerId;
  rec.leaseExpiresAt = lease.now + lease.leaseMs;
  if (cr === '1') rec.cancelRequested = true;
  return rec;
}

/** Decodes `{id, fields, id, fields, …}` from `start`, skipping jobs that vanished. */
export function decodeJobList(
  queue: string,
  reply: unknown[],
  start: number,
  script: string,
): JobRecord[] {
  const out: JobRecord[] = [];
  for (let i = start; i + 1 < reply.length; i += 2) {
    const rec = decodeJob(queue, String(reply[i]), reply[i + 1] as Value[], script);
    if (rec !== null) out.push(rec);
  }
  return out;
}

/** Error info as stored: the JSON text of `{ name, message, stack? }`. */
export function encodeError(error: JobErrorInfo): string {
  const e: JobErrorInfo = { name: error.name, message: error.message };
  if (error.stack !== undefined) e.stack = error.stack;
  return JSON.stringify(e);
}
