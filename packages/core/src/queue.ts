import type { TSchema } from '@sinclair/typebox';
import type {
  AddResult,
  Backend,
  CancelResult,
  JobCounts,
  JobState,
  QueueEventInput,
  QueueEventType,
  RepeatSpec,
  ScheduleRecord,
  WorkerInfo,
} from './contract/index.js';
import {
  ClosedError,
  JobStateError,
  ObliterateRefusedError,
  UnsupportedError,
  ValidationError,
} from './errors.js';
import { Job } from './job.js';
import { assertJobList, toNewJob, toPayload } from './new-job.js';
import { assertBackend } from './options/backend-check.js';
import {
  CleanSchema,
  ConcurrencySchema,
  type OperatorAction,
  OperatorActionSchema,
  PageSchema,
  PromoteSchema,
  RateLimitSchema,
  RetrySchema,
  StateSchema,
} from './options/admin-options.js';
import type { JobOptions } from './options/job-options.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  QueueNameSchema,
  QueueOptionsSchema,
  type QueueOptions,
} from './options/queue-options.js';
import {
  type RepeatTemplate,
  RepeatTemplateSchema,
  ScheduleIdSchema,
} from './options/repeat-options.js';
import { assertRepeatSpec, nextTick, sameRepeatSpec } from './repeat.js';
import { TypedEmitter } from './typed-emitter.js';
import { assertValid } from './validate.js';
import { EventBatcher } from './worker/event-batcher.js';

/** One job for `addBulk`. */
export interface BulkJob<D = unknown> {
  name: string;
  data: D;
  opts?: JobOptions;
}

/** What `add` did: `added`, or the existing job's id for `duplicate` / `deduplicated`. */
export type AddedJob = AddResult & { name: string };

/** Local events of a Queue. */
export type QueueLocalEvents = {
  added: (job: AddedJob) => void;
  error: (err: unknown) => void;
};

/** Paging for `getJobs`. Defaults: offset 0, limit 100, order `asc`. */
export interface Page {
  offset?: number;
  limit?: number;
  order?: 'asc' | 'desc';
}

/**
 * The producer and operator side of a queue: add jobs, inspect them, and run the
 * operations of the runbook (pause, retry, clean, drain, obliterate, schedules).
 *
 * A Queue does not own its backend: close the backend yourself when every Queue and
 * Worker using it is closed.
 */
export class Queue<D = unknown> extends TypedEmitter<QueueLocalEvents> {
  readonly name: string;
  readonly backend: Backend;
  private readonly ctx: {
    defaults: JobOptions | undefined;
    maxPayloadBytes: number;
    schemas: Readonly<Record<string, TSchema>> | undefined;
  };
  private readonly events: EventBatcher | null;
  private closed = false;

  constructor(name: string, options: QueueOptions) {
    super();
    assertValid(QueueNameSchema, name, 'queue name', '/name');
    assertBackend(options, 'queue options');
    assertValid(
      QueueOptionsSchema,
      { maxPayloadBytes: options.maxPayloadBytes, events: options.events },
      'queue options',
    );
    this.name = name;
    this.backend = options.backend;
    this.events =
      options.events === false
        ? null
        : new EventBatcher(this.backend, name, (err) => this.emit('error', err));
    this.ctx = {
      defaults: options.defaultJobOptions,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      schemas: options.schemas,
    };
    // Validates the defaults once, now, rather than on every add.
    if (options.defaultJobOptions)
      toNewJob('defaults', null, options.defaultJobOptions, { ...this.ctx, schemas: undefined });
  }

  /** Adds one job. Throws `ValidationError` / `PayloadTooLargeError` before writing. */
  async add(name: string, data: D, opts?: JobOptions): Promise<AddedJob> {
    const [added] = await this.addBulk([{ name, data, ...(opts ? { opts } : {}) }]);
    return added as AddedJob;
  }

  /**
   * Adds many jobs in one backend call. Every job is validated first: one bad job
   * rejects the whole batch and nothing is written.
   */
  async addBulk(jobs: BulkJob<D>[]): Promise<AddedJob[]> {
    this.assertOpen();
    assertJobList(jobs);
    const news = jobs.map((j) => toNewJob(j.name, j.data, j.opts, this.ctx));
    const results = await this.backend.jobs.add(this.name, news);
    const added = results.map((r, i) => ({ ...r, name: news[i]!.name }));
    if (this.events) {
      const at = Date.now();
      this.events.pushAll(
        added.map(
          (a): QueueEventInput =>
            a.status === 'deduplicated' || a.status === 'duplicate'
              ? { type: 'deduplicated', jobId: a.id, at, data: { name: a.name, status: a.status } }
              : { type: 'added', jobId: a.id, at, data: { name: a.name } },
        ),
      );
    }
    for (const a of added) this.emit('added', a);
    return added;
  }

  /** The job, or null. */
  async getJob(id: string): Promise<Job<D> | null> {
    const rec = await this.backend.admin.get(this.name, id);
    return rec ? new Job<D>(rec) : null;
  }

  /** A page of jobs in one state (failed = the dead-letter view). */
  async getJobs(state: JobState, page: Page = {}): Promise<Job<D>[]> {
    assertValid(StateSchema, state, 'state', '/state');
    assertValid(PageSchema, page, 'page', '/page');
    const recs = await this.backend.admin.list(this.name, {
      state,
      offset: page.offset ?? 0,
      limit: page.limit ?? 100,
      order: page.order ?? 'asc',
    });
    return recs.map((r) => new Job<D>(r));
  }

  /** Exact counts per state. */
  getCounts(): Promise<JobCounts> {
    return this.backend.admin.counts(this.name);
  }

  /** Stops granting leases; running jobs finish. Publishes `paused`. */
  async pause(action?: OperatorAction): Promise<void> {
    const by = checkAction(action);
    await this.backend.admin.setPaused(this.name, true);
    await this.publishQueueEvent('paused', by);
  }

  /** Grants leases again. Publishes `resumed`. */
  async resume(action?: OperatorAction): Promise<void> {
    const by = checkAction(action);
    await this.backend.admin.setPaused(this.name, false);
    await this.publishQueueEvent('resumed', by);
  }

  /** True while paused. */
  isPaused(): Promise<boolean> {
    return this.backend.admin.isPaused(this.name);
  }

  /**
   * Removes up to `limit` (default 1,000) jobs in `state` older than `grace` ms (by
   * finish time for completed/failed, by creation for waiting/delayed): those finished
   * (or created) at or before `now - grace`. Returns ids; publishes `cleaned` when any.
   */
  async cleanJobs(
    req: {
      state: 'waiting' | 'delayed' | 'completed' | 'failed';
      grace: number;
      limit?: number;
    },
    action?: OperatorAction,
  ): Promise<string[]> {
    assertValid(CleanSchema, req, 'clean request');
    const by = checkAction(action);
    const ids = await this.backend.admin.clean(this.name, {
      state: req.state,
      graceMs: req.grace,
      limit: req.limit ?? 1000,
    });
    if (ids.length > 0)
      await this.publishQueueEvent('cleaned', { state: req.state, ...bulk(ids), ...by });
    return ids;
  }

  /**
   * Removes every waiting job (and delayed ones with `includeDelayed`). Returns how many;
   * publishes `drained`.
   */
  async drain(opts: { includeDelayed?: boolean } = {}, action?: OperatorAction): Promise<number> {
    const by = checkAction(action);
    const n = await this.backend.admin.drain(this.name, opts.includeDelayed ?? false);
    await this.publishQueueEvent('drained', { removed: n, ...by });
    return n;
  }

  /**
   * Removes everything of the queue: jobs, logs, dedup keys, schedules, flags.
   * Refuses with `ObliterateRefusedError` while jobs are active unless `force`.
   * Publishes `obliterated` (the first event of the queue's new history).
   */
  async obliterate(opts: { force?: boolean } = {}, action?: OperatorAction): Promise<void> {
    const by = checkAction(action);
    const r = await this.backend.admin.obliterate(this.name, opts.force ?? false);
    if (r.status === 'active') throw new ObliterateRefusedError(this.name, r.count);
    await this.publishQueueEvent('obliterated', by);
  }

  /** Removes a job that is not active. True if it was removed; publishes `removed`. */
  async removeJob(id: string, action?: OperatorAction): Promise<boolean> {
    const by = checkAction(action);
    const removed = await this.backend.admin.remove(this.name, [id]);
    if (removed.length === 1) await this.publishEvent(jobEvent('removed', id, by));
    return removed.length === 1;
  }

  /**
   * Moves failed (or completed) jobs back to waiting with attempts reset: by ids, or the
   * oldest `limit` of a state — retry a controlled subset first. Returns the ids;
   * publishes `retried` when any.
   */
  async retryJobs(
    sel: { ids: string[] } | { state: 'failed' | 'completed'; limit: number },
    action?: OperatorAction,
  ): Promise<string[]> {
    assertValid(RetrySchema, sel, 'retry selector');
    const by = checkAction(action);
    const ids = await this.backend.admin.retry(this.name, sel);
    if (ids.length > 0) await this.publishQueueEvent('retried', { ...bulk(ids), ...by });
    return ids;
  }

  /**
   * Makes delayed jobs waiting now: by ids, or the soonest `limit`. Returns the ids;
   * publishes `promoted` when any.
   */
  async promoteJobs(
    sel: { ids: string[] } | { limit: number },
    action?: OperatorAction,
  ): Promise<string[]> {
    assertValid(PromoteSchema, sel, 'promote selector');
    const by = checkAction(action);
    const ids = await this.backend.admin.promote(this.name, sel);
    if (ids.length > 0) await this.publishQueueEvent('promoted', { ...bulk(ids), ...by });
    return ids;
  }

  /**
   * Cancels a job: a waiting or delayed job fails at once; an active job's processor
   * sees its AbortSignal fire at the worker's next lease renewal and the job fails
   * without retry.
   */
  async cancelJob(id: string, action?: OperatorAction): Promise<CancelResult> {
    const by = checkAction(action);
    const r = await this.backend.admin.cancel(this.name, id);
    if (r !== 'not-cancellable') await this.publishEvent(jobEvent('cancelled', id, by));
    return r;
  }

  /**
   * Replaces the data of a waiting or delayed job (the runbook's "migrate queued jobs"
   * step), keeping its id, place in the order and options. The data is validated like an
   * `add` payload: the task's schema (when the queue has `schemas`), JSON, size. The
   * write is conditional on the job still being queued, so a job leased meanwhile is
   * never changed under its worker. Throws `JobStateError` for a missing, active or
   * finished job; publishes an `updated` event.
   */
  async updateJobData(id: string, data: D, action?: OperatorAction): Promise<void> {
    this.assertOpen();
    const by = checkAction(action);
    if (typeof id !== 'string' || id.length === 0)
      throw new ValidationError('job id', [{ path: '/id', rule: 'must be a non-empty string' }]);
    // The job's task picks the schema; the backend re-checks the task in its write.
    for (let attempt = 0; ; attempt++) {
      const rec = await this.backend.admin.get(this.name, id);
      if (rec === null) throw new JobStateError(id, null);
      if (rec.state !== 'waiting' && rec.state !== 'delayed')
        throw new JobStateError(id, rec.state);
      const payload = toPayload(rec.name, data, this.ctx);
      const r = await this.backend.admin.updateData(this.name, id, rec.name, payload);
      if (r.status === 'updated') break;
      if (r.status === 'not-updatable') throw new JobStateError(id, r.state);
      // Removed, or re-added under the same id as another task: read it again, once.
      if (attempt > 0) throw new JobStateError(id, null);
    }
    await this.publishEvent(jobEvent('updated', id, by));
  }

  /** The log lines of a job, oldest first. */
  getJobLogs(id: string, page: { offset?: number; limit?: number } = {}): Promise<string[]> {
    return this.backend.admin.getLogs(this.name, id, page.offset ?? 0, page.limit ?? 100);
  }

  /** The job that owns a deduplication key while the key is live, else null. */
  getDeduplicationJobId(dedupId: string): Promise<string | null> {
    return this.backend.admin.getDedupOwner(this.name, dedupId);
  }

  /** Frees a deduplication key early. True if it existed. */
  removeDeduplicationKey(dedupId: string): Promise<boolean> {
    return this.backend.admin.removeDedupKey(this.name, dedupId);
  }

  /**
   * At most `max` jobs started per `duration` ms across every worker of the queue
   * (backends with `globalRateLimit`); `null` removes the limit.
   */
  async setGlobalRateLimit(limit: { max: number; duration: number } | null): Promise<void> {
    this.requireCapability('globalRateLimit');
    if (limit) assertValid(RateLimitSchema, limit, 'global rate limit');
    await this.backend.admin.setGlobalLimits(this.name, { rate: limit });
  }

  /** At most `n` active jobs across every worker (backends with `globalConcurrency`). */
  async setGlobalConcurrency(n: number | null): Promise<void> {
    this.requireCapability('globalConcurrency');
    if (n !== null) assertValid(ConcurrencySchema, n, 'global concurrency', '/concurrency');
    await this.backend.admin.setGlobalLimits(this.name, { concurrency: n });
  }

  /**
   * Creates or updates a durable schedule stored in the backend. Fired by
   * `@mq/scheduler`. An unchanged spec keeps its planned next run, so calling this at
   * every deploy never fires a tick twice.
   */
  async upsertRepeatable(
    id: string,
    spec: RepeatSpec,
    template: RepeatTemplate,
    action?: OperatorAction,
  ): Promise<ScheduleRecord> {
    assertValid(ScheduleIdSchema, id, 'schedule id', '/id');
    const by = checkAction(action);
    assertRepeatSpec(spec);
    assertValid(RepeatTemplateSchema, template, 'repeat template', '/template');
    const job = toNewJob(template.name, template.data, template.opts, this.ctx);
    const now = Date.now();
    const existing = await this.backend.schedules.get(this.name, id);
    // Compared as data: the same spec written in another key order (or read back from a
    // store that reorders keys) is no change, and must keep the planned tick.
    const sameSpec = existing !== null && sameRepeatSpec(existing.spec, spec);
    const record: ScheduleRecord = {
      id,
      queue: this.name,
      spec,
      template: {
        name: job.name,
        payload: job.payload,
        priority: job.priority,
        lifo: job.lifo,
        opts: job.opts,
      },
      paused: existing?.paused ?? false,
      nextRunAt: sameSpec
        ? existing.nextRunAt
        : spec.immediately && !existing
          ? Math.max(now, spec.startDate ?? now)
          : nextTick(spec, now, existing?.runCount ?? 0),
      runCount: existing?.runCount ?? 0,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (job.dedup) record.template.dedup = job.dedup;
    if (existing?.lastRunAt !== undefined) record.lastRunAt = existing.lastRunAt;
    if (existing?.lastFiredAt !== undefined) record.lastFiredAt = existing.lastFiredAt;
    await this.backend.schedules.upsert(record);
    await this.scheduleEvent(id, 'upserted', by);
    // The store keeps what another process changed since the read above (a fired tick):
    // the stored record is the truth.
    return (await this.backend.schedules.get(this.name, id)) ?? record;
  }

  /** Removes a durable schedule. True if it existed. */
  async removeRepeatable(id: string, action?: OperatorAction): Promise<boolean> {
    const by = checkAction(action);
    const removed = await this.backend.schedules.remove(this.name, id);
    if (removed) await this.scheduleEvent(id, 'removed', by);
    return removed;
  }

  /**
   * Durable schedules with last run, next run, the last tick's drift (`lastFiredAt -
   * lastRunAt`), the largest drift and the count of late ticks since `driftSince`.
   */
  listRepeatables(): Promise<ScheduleRecord[]> {
    return this.backend.schedules.list(this.name);
  }

  /**
   * Starts a schedule's drift figures over (`maxDriftMs`, `lateTicks`; `driftSince`
   * becomes now), e.g. after an incident was dealt with. True if it exists.
   */
  async resetRepeatableDrift(id: string, action?: OperatorAction): Promise<boolean> {
    const by = checkAction(action);
    const done = await this.backend.schedules.resetDrift(this.name, id, Date.now());
    if (done) await this.scheduleEvent(id, 'drift-reset', by);
    return done;
  }

  /** Pauses or resumes one schedule. True if it exists. */
  async setRepeatablePaused(
    id: string,
    paused: boolean,
    action?: OperatorAction,
  ): Promise<boolean> {
    const by = checkAction(action);
    const done = await this.backend.schedules.setPaused(this.name, id, paused);
    if (done) await this.scheduleEvent(id, paused ? 'paused' : 'resumed', by);
    return done;
  }

  /** Live workers of this queue with their last heartbeat. */
  listWorkers(): Promise<WorkerInfo[]> {
    return this.backend.workers.list(this.name);
  }

  /** Stops accepting adds and publishes pending events. Does not close the backend. */
  async close(): Promise<void> {
    this.closed = true;
    await this.events?.flush();
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError(`Queue "${this.name}"`);
  }

  private requireCapability(cap: 'globalRateLimit' | 'globalConcurrency'): void {
    if (!this.backend.capabilities[cap]) throw new UnsupportedError(cap, this.backend.name);
  }

  // `schedule` events say which schedule changed and how, for live views and audits.
  private scheduleEvent(
    scheduleId: string,
    change: 'upserted' | 'removed' | 'paused' | 'resumed' | 'drift-reset',
    by: Record<string, string>,
  ): Promise<void> {
    return this.publishQueueEvent('schedule', { scheduleId, change, ...by });
  }

  private publishQueueEvent(type: QueueEventType, data: Record<string, unknown>): Promise<void> {
    const hasData = Object.keys(data).length > 0;
    return this.publishEvent({ type, at: Date.now(), ...(hasData ? { data } : {}) });
  }

  // Operator actions are rare and their callers expect the event out when they return.
  private async publishEvent(event: QueueEventInput): Promise<void> {
    if (!this.events) return;
    await this.events.flush();
    await this.backend.events.publish(this.name, [event]);
  }
}

/** Events list at most this many ids of a bulk action (the count is always exact). */
const EVENT_IDS = 1000;

/** The validated actor and reason of an operator action, as event data. */
function checkAction(action: OperatorAction | undefined): Record<string, string> {
  if (action === undefined) return {};
  assertValid(OperatorActionSchema, action, 'operator action', '/action');
  const by: Record<string, string> = {};
  if (action.actor !== undefined) by.actor = action.actor;
  if (action.reason !== undefined) by.reason = action.reason;
  return by;
}

const bulk = (ids: string[]) => ({ count: ids.length, ids: ids.slice(0, EVENT_IDS) });

function jobEvent(
  type: QueueEventType,
  jobId: string,
  data: Record<string, unknown>,
): QueueEventInput {
  const hasData = Object.keys(data).length > 0;
  return { type, jobId, at: Date.now(), ...(hasData ? { data } : {}) };
}
