import type { Backend, NewJob } from '@mq/core';
import { type Static, Type } from '@sinclair/typebox';

/**
 * The queue that holds the audit log, in the backend itself, through the contract only
 * (`jobs.add`, `admin.list`), so it works on every backend and survives as long as the
 * store does. Each record is a job of this queue kept *delayed* a century and the queue
 * is paused: no worker can ever lease one (belt and braces), and the delayed order
 * (`runAt` = time written + a constant) is the log's time order. The operations layer
 * refuses every action on this queue and hides it from the overview.
 */
export const AUDIT_QUEUE = '__mq.audit';

/** How long an audit record stays delayed: 100 years, far below every store's limit. */
const AUDIT_DELAY_MS = 100 * 365.25 * 24 * 3600 * 1000;

/** One audited action. */
export const AuditRecordSchema = Type.Object({
  /** The record's id in the audit queue. */
  id: Type.String(),
  /** ms epoch when the action ended (or was refused). */
  at: Type.Number(),
  actor: Type.String(),
  role: Type.String(),
  /** The operation id, e.g. `jobs.retry`. */
  action: Type.String(),
  backend: Type.String(),
  queue: Type.Optional(Type.String()),
  /** The request as validated (ids, filter, state, …), without the reason. */
  target: Type.Unknown(),
  reason: Type.String(),
  /** `ok`, `forbidden` (role too weak), `refused` (confirmation, state) or `error`. */
  outcome: Type.Union([
    Type.Literal('ok'),
    Type.Literal('forbidden'),
    Type.Literal('refused'),
    Type.Literal('error'),
  ]),
  /** Jobs (or schedules) the action changed, when it counts them. */
  count: Type.Optional(Type.Number()),
  /** The error code and message when the outcome is not `ok`. */
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** One audited action. */
export type AuditRecord = Static<typeof AuditRecordSchema>;

/** The audit log of one backend. */
export class AuditLog {
  private paused: Promise<void> | undefined;

  constructor(private readonly backend: Backend) {}

  /** Appends a record; resolves once the backend stored it. */
  async write(record: Omit<AuditRecord, 'id'>): Promise<string> {
    // Paused once per process: harmless to repeat, and a resumed audit queue is re-paused.
    this.paused ??= this.backend.admin.setPaused(AUDIT_QUEUE, true);
    await this.paused;
    const job: NewJob = {
      name: record.action,
      payload: JSON.stringify(record),
      priority: 0,
      lifo: false,
      delay: AUDIT_DELAY_MS,
      opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
    };
    const [r] = await this.backend.jobs.add(AUDIT_QUEUE, [job]);
    return r?.id ?? '';
  }

  /** Records newest first, skipping `offset`. */
  async list(offset: number, limit: number): Promise<AuditRecord[]> {
    const recs = await this.backend.admin.list(AUDIT_QUEUE, {
      state: 'delayed',
      offset,
      limit,
      order: 'desc',
    });
    return recs.map((r) => ({ ...(JSON.parse(r.payload) as Omit<AuditRecord, 'id'>), id: r.id }));
  }

  /** How many records the log holds. */
  async size(): Promise<number> {
    return (await this.backend.admin.counts(AUDIT_QUEUE)).delayed;
  }
}
