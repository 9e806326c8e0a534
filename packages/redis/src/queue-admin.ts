import type {
  CancelResult,
  CleanRequest,
  JobCounts,
  JobRecord,
  JobState,
  ListRequest,
  ObliterateResult,
  PromoteSelector,
  QueueAdmin,
  RetentionRequest,
  RetentionResult,
  RetrySelector,
  UpdateDataResult,
} from '@mq/core';
import { decodeJob, decodeJobList, encodeError, packedHead } from './codec.js';
import type { BackendContext } from './context.js';
import {
  ACTIVE_COUNT,
  ADD_LOG,
  APPLY_RETENTION,
  CANCEL,
  CLEAN,
  COUNTS,
  DEDUP_OWNER,
  DRAIN,
  HAS_DATA,
  LIST,
  PROMOTE,
  REMOVE,
  REMOVE_DEDUP,
  RETRY,
  SET_LIMITS,
  SET_PAUSED,
  SET_PROGRESS,
  UPDATE_DATA,
} from './scripts/admin.js';
import { JOB_FIELD_NAMES } from './scripts/fields.js';
import { CANCELLED_ERROR } from '@mq/core/backend-kit';

/** Jobs deleted per `drain` script call. */
const DRAIN_CHUNK = 5000;
/** Keys deleted per UNLINK while obliterating. */
const UNLINK_BATCH = 500;

const CANCELLED = encodeError(CANCELLED_ERROR);

/** Escapes glob metacharacters so a queue name matches itself in SCAN MATCH. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Queue administration: every mutating operation is one script. */
export class RedisQueueAdmin implements QueueAdmin {
  constructor(private readonly ctx: BackendContext) {}

  async counts(queue: string): Promise<JobCounts> {
    const [waiting, delayed, active, completed, failed] = (await this.ctx.runQueue(
      COUNTS,
      queue,
      [],
    )) as number[];
    return {
      waiting: waiting ?? 0,
      delayed: delayed ?? 0,
      active: active ?? 0,
      completed: completed ?? 0,
      failed: failed ?? 0,
    };
  }

  async get(queue: string, id: string): Promise<JobRecord | null> {
    const fields = await this.ctx.conns.main.hmget(
      this.ctx.keys.job(queue, id),
      ...JOB_FIELD_NAMES,
    );
    return decodeJob(queue, id, fields, 'get');
  }

  async list(queue: string, req: ListRequest): Promise<JobRecord[]> {
    const reply = (await this.ctx.runQueue(LIST, queue, [
      req.state,
      Math.max(0, req.offset),
      Math.max(0, req.limit),
      req.order,
    ])) as unknown[];
    return decodeJobList(queue, reply, 0, 'list');
  }

  async remove(queue: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return ((await this.ctx.runQueue(REMOVE, queue, ids)) as string[]).map(String);
  }

  async retry(queue: string, sel: RetrySelector): Promise<string[]> {
    const args = 'ids' in sel ? ['ids', ...sel.ids] : ['state', sel.state, String(sel.limit)];
    if (args[0] === 'ids' && args.length === 1) return [];
    return ((await this.ctx.runQueue(RETRY, queue, args)) as string[]).map(String);
  }

  async promote(queue: string, sel: PromoteSelector): Promise<string[]> {
    const args = 'ids' in sel ? ['ids', ...sel.ids] : ['limit', String(sel.limit)];
    if (args[0] === 'ids' && args.length === 1) return [];
    return ((await this.ctx.runQueue(PROMOTE, queue, args)) as string[]).map(String);
  }

  async clean(queue: string, req: CleanRequest): Promise<string[]> {
    const reply = await this.ctx.runQueue(CLEAN, queue, [req.state, req.graceMs, req.limit]);
    return (reply as string[]).map(String);
  }

  async applyRetention(queue: string, req: RetentionRequest): Promise<RetentionResult> {
    const [examined, ...removed] = (await this.ctx.runQueue(APPLY_RETENTION, queue, [
      req.state,
      Math.max(0, Math.floor(req.offset)),
      Math.max(0, Math.floor(req.limit)),
    ])) as unknown[];
    return { examined: Number(examined ?? 0), removed: removed.map(String) };
  }

  async drain(queue: string, includeDelayed: boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number(
        await this.ctx.runQueue(DRAIN, queue, [includeDelayed ? '1' : '0', DRAIN_CHUNK]),
      );
      total += n;
      if (n < DRAIN_CHUNK) return total;
    }
  }

  /**
   * Checks for active jobs, then deletes every key of the queue by SCAN over its
   * `{queue}` pattern (an operator action: O(keyspace), never on the hot path). The
   * auto-id counter and the (capped) event stream stay, so job and event ids are never
   * handed out twice.
   */
  async obliterate(queue: string, force: boolean): Promise<ObliterateResult> {
    const keys = this.ctx.keys.queue(queue);
    if (!force) {
      const active = Number(await this.ctx.runQueue(ACTIVE_COUNT, queue, []));
      if (active > 0) return { status: 'active', count: active };
    }
    const keep = new Set([keys.key.ids, keys.key.events]);
    const main = this.ctx.conns.main;
    // Repeat until a pass finds nothing: a concurrent add may write behind the cursor.
    for (let pass = 0; pass < 3; pass++) {
      let found = 0;
      let cursor = '0';
      do {
        const [next, batch] = await main.scan(
          cursor,
          'MATCH',
          `${globEscape(keys.base)}*`,
          'COUNT',
          1000,
        );
        cursor = next;
        const doomed = batch.filter((k) => !keep.has(k));
        for (let i = 0; i < doomed.length; i += UNLINK_BATCH) {
          await main.unlink(...doomed.slice(i, i + UNLINK_BATCH));
        }
        found += doomed.length;
      } while (cursor !== '0');
      if (found === 0) break;
    }
    await main.srem(this.ctx.keys.registry, queue);
    return { status: 'ok' };
  }

  async setPaused(queue: string, paused: boolean): Promise<void> {
    const flag = await this.ctx.runQueue(SET_PAUSED, queue, [paused ? '1' : '0']);
    this.ctx.registerIf(flag, queue);
  }

  async isPaused(queue: string): Promise<boolean> {
    return (await this.ctx.conns.main.hget(this.ctx.keys.queue(queue).key.meta, 'paused')) === '1';
  }

  async setProgress(queue: string, id: string, token: string, progress: string): Promise<boolean> {
    return (await this.ctx.runQueue(SET_PROGRESS, queue, [id, token, progress])) === 1;
  }

  async addLog(
    queue: string,
    id: string,
    token: string,
    line: string,
    keep: number,
  ): Promise<boolean> {
    return (await this.ctx.runQueue(ADD_LOG, queue, [id, token, line, keep])) === 1;
  }

  async getLogs(queue: string, id: string, offset: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const from = Math.max(0, offset);
    return this.ctx.conns.main.lrange(this.ctx.keys.logs(queue, id), from, from + limit - 1);
  }

  async getDedupOwner(queue: string, dedupId: string): Promise<string | null> {
    const owner = await this.ctx.runQueue(DEDUP_OWNER, queue, [dedupId]);
    return owner === null ? null : String(owner);
  }

  async removeDedupKey(queue: string, dedupId: string): Promise<boolean> {
    return (await this.ctx.runQueue(REMOVE_DEDUP, queue, [dedupId])) === 1;
  }

  async cancel(queue: string, id: string): Promise<CancelResult> {
    return (await this.ctx.runQueue(CANCEL, queue, [id, CANCELLED])) as CancelResult;
  }

  async updateData(
    queue: string,
    id: string,
    name: string,
    payload: string,
  ): Promise<UpdateDataResult> {
    // The script cannot slice the packed record (its lengths are UTF-16 units), so the
    // client sends the unchanged head and the script checks it is still the job's.
    for (let attempt = 0; attempt < 3; attempt++) {
      const packed = await this.ctx.conns.main.hget(this.ctx.keys.job(queue, id), 'i');
      if (packed === null) return { status: 'not-found' };
      const { head, name: stored } = packedHead(packed, 'updateData');
      if (stored !== name) return { status: 'not-found' };
      const reply = (await this.ctx.runQueue(UPDATE_DATA, queue, [id, head, payload])) as string[];
      if (reply[0] === 'updated') return { status: 'updated' };
      if (reply[0] === 'not-found') return { status: 'not-found' };
      if (reply[0] === 'not-updatable') {
        return { status: 'not-updatable', state: reply[1] as JobState };
      }
    }
    return { status: 'not-found' };
  }

  async setGlobalLimits(
    queue: string,
    limits: { rate?: { max: number; duration: number } | null; concurrency?: number | null },
  ): Promise<void> {
    const r = limits.rate;
    const c = limits.concurrency;
    const flag = await this.ctx.runQueue(SET_LIMITS, queue, [
      r === undefined ? 'keep' : r === null ? 'clear' : 'set',
      r?.max ?? 0,
      r?.duration ?? 0,
      c === undefined ? 'keep' : c === null ? 'clear' : 'set',
      c ?? 0,
    ]);
    this.ctx.registerIf(flag, queue);
  }

  async listQueues(): Promise<string[]> {
    const names = await this.ctx.conns.main.smembers(this.ctx.keys.registry);
    const has = await Promise.all(names.map((q) => this.ctx.runQueue(HAS_DATA, q, [])));
    return names.filter((_, i) => has[i] === 1).sort();
  }
}
