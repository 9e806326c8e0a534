import type { TSchema } from '@sinclair/typebox';
import type { BackoffSpec, NewJob } from './contract/index.js';
import { PayloadTooLargeError, ValidationError } from './errors.js';
import {
  DEFAULT_REMOVE_ON_COMPLETE,
  DEFAULT_REMOVE_ON_FAIL,
  JobNameSchema,
  type JobOptions,
  JobOptionsSchema,
} from './options/job-options.js';
import { assertValid } from './validate.js';

/** Everything `toNewJob` needs besides the job itself. */
export interface NewJobContext {
  defaults: JobOptions | undefined;
  maxPayloadBytes: number;
  schemas: Readonly<Record<string, TSchema>> | undefined;
}

// Circular structures and BigInts cannot be stored, and a function, a Symbol or a
// `toJSON` returning undefined serialise to nothing: say so as a validation error.
function serializePayload(data: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data ?? null);
  } catch (err) {
    throw new ValidationError(
      'payload',
      [{ path: '/data', rule: `must be JSON-serializable (${(err as Error).message})` }],
      { cause: err },
    );
  }
  if (json === undefined)
    throw new ValidationError('payload', [
      { path: '/data', rule: `must serialise to JSON (a ${typeof data} serialises to nothing)` },
    ]);
  return json;
}

/** Normalizes the shorthand `backoff: 1000` to a fixed backoff. */
function toBackoff(b: JobOptions['backoff']): BackoffSpec | undefined {
  if (b === undefined) return undefined;
  return typeof b === 'number' ? { type: 'fixed', delay: b } : b;
}

/**
 * Validates and serializes one job for the backend. Throws before anything is written:
 * `ValidationError` (name, options, payload schema) or `PayloadTooLargeError`.
 */
export function toNewJob(
  name: string,
  data: unknown,
  opts: JobOptions | undefined,
  ctx: NewJobContext,
): NewJob {
  assertValid(JobNameSchema, name, 'job name', '/name');
  if (opts !== undefined) assertValid(JobOptionsSchema, opts, 'job options', '/opts');
  const o: JobOptions = ctx.defaults ? { ...ctx.defaults, ...opts } : (opts ?? {});
  const payload = toPayload(name, data, ctx);
  const job: NewJob = {
    name,
    payload,
    priority: o.priority ?? 0,
    lifo: o.lifo ?? false,
    delay: o.delay ?? 0,
    opts: {
      attempts: o.attempts ?? 1,
      removeOnComplete: o.removeOnComplete ?? DEFAULT_REMOVE_ON_COMPLETE,
      removeOnFail: o.removeOnFail ?? DEFAULT_REMOVE_ON_FAIL,
    },
  };
  const backoff = toBackoff(o.backoff);
  if (backoff) job.opts.backoff = backoff;
  if (o.timeout !== undefined) job.opts.timeout = o.timeout;
  if (o.jobId !== undefined) job.id = o.jobId;
  if (o.deduplication) job.dedup = o.deduplication;
  return job;
}

/** Throws a `ValidationError` at `/jobs` unless `jobs` is an array of job objects. */
export function assertJobList(jobs: unknown): asserts jobs is unknown[] {
  if (!Array.isArray(jobs))
    throw new ValidationError('addBulk jobs', [
      { path: '/jobs', rule: 'must be an array of { name, data, opts? }' },
    ]);
  const bad = jobs.findIndex((j) => typeof j !== 'object' || j === null);
  if (bad >= 0)
    throw new ValidationError('addBulk jobs', [
      { path: `/jobs/${bad}`, rule: 'must be an object { name, data, opts? }' },
    ]);
}

/**
 * Validates and serializes a replacement payload for a job of task `name` (its schema,
 * if the queue has one; JSON-serializable; `maxPayloadBytes`), as `toNewJob` does for a
 * new job's.
 */
export function toPayload(name: string, data: unknown, ctx: NewJobContext): string {
  const schema = ctx.schemas?.[name];
  if (schema) assertValid(schema, data, `payload of "${name}"`, '/data');
  const payload = serializePayload(data);
  // Byte length only matters near the limit: a string's UTF-8 size is at most 3x its length.
  if (payload.length * 3 > ctx.maxPayloadBytes) {
    const bytes = Buffer.byteLength(payload);
    if (bytes > ctx.maxPayloadBytes) throw new PayloadTooLargeError(bytes, ctx.maxPayloadBytes);
  }
  return payload;
}
