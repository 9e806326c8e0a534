import { type Backend, MqError, ObliterateRefusedError, Queue, assertValid } from '@mq/core';
import { ForbiddenError, NotFoundError, ReservedQueueError } from '../errors.js';
import { AUDIT_QUEUE, AuditLog } from './audit.js';
import { BackendSet } from './backend-set.js';
import type { Operation, OperationContext } from './define.js';
import { LivePlane } from './live-plane.js';
import { LiveStats } from './live-stats.js';
import { type RedactionOptions, Redactor } from './redact.js';
import { OPERATIONS } from './registry.js';
import { type Principal, roleAllows } from './roles.js';
import { Snapshots } from './snapshots.js';

/** Options of {@link createOperations}. */
export interface OperationsOptions {
  /** One backend (named `default`). */
  backend?: Backend;
  /** Several backends by name; the first is the default. */
  backends?: Readonly<Record<string, Backend>>;
  /** What to mask in job data. Default: secret-looking keys. */
  redact?: RedactionOptions;
  /** How long counts are shared between callers, ms. Default 1,000. */
  snapshotMs?: number;
  /** How often the live plane looks for new queues to subscribe to, ms. Default 5,000. */
  discoverMs?: number;
  /** Errors of background work (the live plane). Default: `console.error`. */
  onError?: (err: unknown) => void;
}

/** The outcomes of refused (rather than failed) actions, for the audit record. */
function outcomeOf(err: unknown): 'refused' | 'error' {
  if (err instanceof ObliterateRefusedError) return 'refused';
  if (err instanceof MqError && /CONFIRMATION|NOT_FOUND|VALIDATION|JOB_STATE/.test(err.code))
    return 'refused';
  return 'error';
}

/**
 * The operations layer: every view and action of the admin, validated, authorised by
 * role and audited — the one implementation behind the HTTP API, the dashboard and the
 * CLI.
 */
export class Operations {
  readonly backends: BackendSet;
  readonly live: LivePlane;
  readonly snapshots: Snapshots;
  private readonly stats = new LiveStats();
  private readonly redactor: Redactor;
  private readonly audits = new Map<string, AuditLog>();
  private readonly queues = new Map<string, Queue>();
  private readonly byId = new Map<string, Operation>(OPERATIONS.map((o) => [o.id, o]));
  /** Audited actions of this process by `action\u0000outcome`, for `mq_admin_actions_total`. */
  readonly actionCounts = new Map<string, number>();

  constructor(options: OperationsOptions) {
    this.backends = new BackendSet(
      options.backends ?? (options.backend ? { default: options.backend } : {}),
    );
    this.redactor = new Redactor(options.redact);
    this.snapshots = new Snapshots(this.backends, this.stats, options.snapshotMs ?? 1000, Date.now);
    this.live = new LivePlane(
      this.backends,
      this.stats,
      options.discoverMs ?? 5000,
      options.onError ?? ((err) => console.error('[mq-admin]', err)),
    );
  }

  /** Every operation, for faces that list them (routes, OpenAPI, CLI commands). */
  list(): readonly Operation[] {
    return OPERATIONS;
  }

  /** The operation `id`; throws `NotFoundError`. */
  get(id: string): Operation {
    const op = this.byId.get(id);
    if (!op) throw new NotFoundError('operation', id);
    return op;
  }

  /** The audit log of backend `name`. */
  audit(name: string): AuditLog {
    let log = this.audits.get(name);
    if (!log) {
      log = new AuditLog(this.backends.get(name).backend);
      this.audits.set(name, log);
    }
    return log;
  }

  /**
   * Runs operation `id` for `principal`: validates `input` (typed `ValidationError` naming
   * each field), checks the role (a refused mutation is audited as `forbidden`), runs it,
   * and audits every mutation that is not a dry run with its outcome.
   */
  async execute(principal: Principal, id: string, input: unknown): Promise<unknown> {
    const op = this.get(id);
    assertValid(op.request, input, `${id} request`);
    const req = input as Record<string, unknown>;
    const backendName = this.backends.get(req.backend as string | undefined).name;
    const queue = typeof req.queue === 'string' ? req.queue : undefined;
    const audited = op.mutates && req.dryRun !== true;
    const record = async (
      outcome: 'ok' | 'forbidden' | 'refused' | 'error',
      extra: { count?: number; error?: unknown } = {},
    ): Promise<void> => {
      const { reason, ...target } = req;
      const err = extra.error;
      const key = `${id}\u0000${outcome}`;
      this.actionCounts.set(key, (this.actionCounts.get(key) ?? 0) + 1);
      await this.audit(backendName).write({
        at: Date.now(),
        actor: principal.id,
        role: principal.role,
        action: id,
        backend: backendName,
        ...(queue !== undefined ? { queue } : {}),
        target,
        reason: typeof reason === 'string' ? reason : '',
        outcome,
        ...(extra.count !== undefined ? { count: extra.count } : {}),
        ...(err !== undefined
          ? {
              error: {
                code: err instanceof MqError ? err.code : 'MQ_ADMIN_INTERNAL',
                message: err instanceof Error ? err.message : String(err),
              },
            }
          : {}),
      });
    };
    if (!roleAllows(principal.role, op.role)) {
      const err = new ForbiddenError(id, principal.role, op.role);
      if (op.mutates) await record('forbidden', { error: err });
      throw err;
    }
    if (op.mutates && queue === AUDIT_QUEUE) throw new ReservedQueueError(queue);
    let result: unknown;
    try {
      result = await op.run(this.context(principal), req as never);
    } catch (err) {
      if (audited) await record(outcomeOf(err), { error: err });
      throw err;
    }
    if (audited) {
      this.snapshots.invalidate(backendName);
      const count = (result as { count?: unknown }).count;
      await record('ok', typeof count === 'number' ? { count } : {});
    }
    return result;
  }

  private context(principal: Principal): OperationContext {
    return {
      principal,
      backends: this.backends,
      redactor: this.redactor,
      audit: (name) => this.audit(name),
      action: (reason) => ({
        actor: principal.id.slice(0, 256),
        ...(reason !== undefined ? { reason } : {}),
      }),
      queue: (b, q) => {
        const key = `${b}\u0000${q}`;
        let queue = this.queues.get(key);
        if (!queue) {
          queue = new Queue(q, { backend: this.backends.get(b).backend });
          this.queues.set(key, queue);
        }
        return queue;
      },
      snapshots: this.snapshots,
      live: this.stats,
      now: Date.now,
    };
  }

  /** Ends the live plane and the queues it opened; the backends stay open (the caller's). */
  async close(): Promise<void> {
    await this.live.close();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

/** The operations layer over `options.backend` or `options.backends`. */
export function createOperations(options: OperationsOptions): Operations {
  return new Operations(options);
}
