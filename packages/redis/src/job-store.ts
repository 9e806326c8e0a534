import { randomBytes } from 'node:crypto';
import { AddBatcher } from '@mq/core/backend-kit';
import {
  type AddResult,
  type ExtendResult,
  type JobStore,
  type LeaseRef,
  type NewJob,
  type RecoverRequest,
  type RecoverResult,
  type ReservedJob,
  type ReserveRequest,
  type ReserveResult,
  type Settlement,
  type SettleResult,
  storableSettlements,
  type WaitRequest,
} from '@mq/core';
import { decodeLeased, encodeError, pushJobArgs } from './codec.js';
import type { BackendContext } from './context.js';
import { RedisReplyError } from './errors.js';
import type { Arg } from './script-runner.js';
import { ADD, EXTEND, RECOVER, RESERVE, SETTLE } from './scripts/jobs.js';
import type { WakeHub } from './wake-hub.js';

/** Jobs per `add` script call: bounds how long one call holds the server. */
const ADD_CHUNK = 1000;

import { STALLED_ERROR } from '@mq/core/backend-kit';

export { STALLED_ERROR };

/**
 * Lease tokens: a random 96-bit prefix per process plus a counter per grant batch, and
 * the script appends the job's index in the batch. Unique per grant across processes
 * (tokens fence stale holders; they are not secrets), without a crypto call per reserve.
 */
const TOKEN_PREFIX = randomBytes(12).toString('base64url');
let tokenCounter = 0;
function tokenBase(): string {
  tokenCounter = (tokenCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${TOKEN_PREFIX}.${tokenCounter.toString(36)}.`;
}

/** Parses a reserve reply `{limitedForMs|-1, now, id, token, fields, …}`. */
export function parseReserve(queue: string, reply: unknown, req: ReserveRequest): ReserveResult {
  if (!Array.isArray(reply) || reply.length < 2) {
    throw new RedisReplyError('reserve', `expected an array, got ${JSON.stringify(reply)}`);
  }
  const lease = { now: Number(reply[1]), workerId: req.workerId, leaseMs: req.leaseMs };
  const jobs: ReservedJob[] = [];
  for (let i = 2; i + 2 < reply.length; i += 3) {
    const id = String(reply[i]);
    const job = decodeLeased(queue, id, reply[i + 2] as (string | number | null)[], lease);
    jobs.push({ job, token: String(reply[i + 1]) });
  }
  const limited = Number(reply[0]);
  return limited >= 0 ? { jobs, limitedForMs: limited } : { jobs };
}

/** The `add` script's ARGV for `jobs[from..to)`. */
function addArgs(jobs: readonly NewJob[], from: number, to: number): Arg[] {
  const args: Arg[] = [to - from];
  for (let i = from; i < to; i++) pushJobArgs(args, jobs[i] as NewJob);
  return args;
}

/** Producing, leasing and settling jobs: one script call per batch. */
export class RedisJobStore implements JobStore {
  private readonly batcher = new AddBatcher((queue, jobs) => this.write(queue, jobs));

  constructor(
    private readonly ctx: BackendContext,
    private readonly hub: WakeHub,
  ) {}

  add(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    if (jobs.length === 0) return Promise.resolve([]);
    // A bulk add fills a call by itself: only small adds wait for company.
    return jobs.length >= ADD_CHUNK ? this.write(queue, jobs) : this.batcher.add(queue, jobs);
  }

  private async write(queue: string, jobs: NewJob[]): Promise<AddResult[]> {
    const results: AddResult[] = [];
    if (jobs.length <= ADD_CHUNK) {
      this.collect(
        queue,
        await this.ctx.runQueue(ADD, queue, addArgs(jobs, 0, jobs.length)),
        results,
      );
      return results;
    }
    // Chunks go out together (pipelined: one round trip) and run in order.
    const calls: Promise<unknown>[] = [];
    for (let from = 0; from < jobs.length; from += ADD_CHUNK) {
      const to = Math.min(jobs.length, from + ADD_CHUNK);
      calls.push(this.ctx.runQueue(ADD, queue, addArgs(jobs, from, to)));
    }
    for (const reply of await Promise.all(calls)) this.collect(queue, reply, results);
    return results;
  }

  /** Appends the results of one `add` reply `{registered, status, id, replacedId, …}`. */
  private collect(queue: string, reply: unknown, results: AddResult[]): void {
    const r = reply as unknown[];
    this.ctx.registerIf(r[0], queue);
    for (let i = 1; i + 2 < r.length; i += 3) {
      const status = String(r[i]) as AddResult['status'];
      const id = String(r[i + 1]);
      if (status === 'replaced') results.push({ status, id, replacedId: String(r[i + 2]) });
      else results.push({ status, id });
    }
  }

  async reserve(queue: string, req: ReserveRequest): Promise<ReserveResult> {
    if (req.max <= 0) return { jobs: [] };
    const reply = await this.ctx.runQueue(RESERVE, queue, [
      req.workerId,
      req.max,
      req.leaseMs,
      tokenBase(),
    ]);
    return parseReserve(queue, reply, req);
  }

  waitForWork(queue: string, req: WaitRequest): Promise<void> {
    return this.hub.wait(queue, req.signal, req.maxWaitMs);
  }

  async extend(queue: string, leases: LeaseRef[], leaseMs: number): Promise<ExtendResult[]> {
    if (leases.length === 0) return [];
    const args: Arg[] = [leaseMs];
    for (const l of leases) args.push(l.jobId, l.token);
    const reply = (await this.ctx.runQueue(EXTEND, queue, args)) as number[];
    return reply.map((r) => (r === 1 ? 'extended' : r === 2 ? 'cancelled' : 'lost'));
  }

  async settle(
    queue: string,
    outcomes: Settlement[],
    next?: ReserveRequest,
  ): Promise<{ results: SettleResult[]; next?: ReserveResult }> {
    const args: Arg[] = [outcomes.length];
    // A retry time no backend can store fails that job alone (see Settlement).
    for (const o of storableSettlements(outcomes)) {
      switch (o.kind) {
        case 'completed':
          args.push('c', o.jobId, o.token, o.result ?? '', o.result === undefined ? '0' : '1');
          break;
        case 'failed':
          args.push('f', o.jobId, o.token, '', encodeError(o.error));
          break;
        case 'retry':
          args.push('r', o.jobId, o.token, o.runAt, encodeError(o.error));
          break;
        case 'released':
          args.push('x', o.jobId, o.token, '', '');
          break;
      }
    }
    const withNext = next !== undefined && next.max > 0;
    if (withNext) args.push(next.workerId, next.max, next.leaseMs, tokenBase());
    else args.push('', 0, 0, '');
    const reply = (await this.ctx.runQueue(SETTLE, queue, args)) as unknown[];
    const results = (reply[0] as number[]).map((r): SettleResult => (r === 1 ? 'ok' : 'lost'));
    if (!withNext) return next === undefined ? { results } : { results, next: { jobs: [] } };
    return { results, next: parseReserve(queue, reply[1], next) };
  }

  async recoverExpired(queue: string, req: RecoverRequest): Promise<RecoverResult> {
    if (req.limit <= 0) return { recovered: [], failed: [] };
    const reply = (await this.ctx.runQueue(RECOVER, queue, [
      req.maxStalls,
      req.limit,
      JSON.stringify(STALLED_ERROR),
    ])) as [string[], string[]];
    return { recovered: reply[0].map(String), failed: reply[1].map(String) };
  }
}
