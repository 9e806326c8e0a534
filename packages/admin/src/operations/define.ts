import type { Backend, OperatorAction, Queue } from '@mq/core';
import type { Static, TSchema } from '@sinclair/typebox';
import type { AuditLog } from './audit.js';
import type { BackendSet } from './backend-set.js';
import type { LiveStats } from './live-stats.js';
import type { Redactor } from './redact.js';
import type { Principal, Role } from './roles.js';
import type { Snapshots } from './snapshots.js';

/** What an operation runs with: the caller and the admin's shared state. */
export interface OperationContext {
  principal: Principal;
  backends: BackendSet;
  redactor: Redactor;
  audit(backend: string): AuditLog;
  /** A core `Queue` on `backend` (cached), so actions publish the same events as code does. */
  queue(backend: string, queue: string): Queue;
  /** The caller and `reason` as a core `OperatorAction`: carried in the action's events. */
  action(reason: string | undefined): OperatorAction;
  /** Counts and workers, computed once per interval and shared by every caller. */
  snapshots: Snapshots;
  live: LiveStats;
  now(): number;
}

/**
 * One operation: the single implementation behind the HTTP API, the dashboard and the
 * CLI. Its `role` is checked on the server before `run`; a `mutates` operation takes a
 * `reason` and is written to the audit log.
 */
export interface Operation<Q extends TSchema = TSchema, R extends TSchema = TSchema> {
  /** Stable id, e.g. `jobs.retry`; the audit log's `action`. */
  id: string;
  summary: string;
  role: Role;
  mutates: boolean;
  /** How the HTTP face serves it; `{name}` segments fill request fields. */
  http: { method: 'GET' | 'POST'; path: string };
  request: Q;
  result: R;
  run(ctx: OperationContext, req: Static<Q>): Promise<Static<R>>;
}

/** Declares an operation with its request and result types tied to its schemas. */
export function defineOperation<Q extends TSchema, R extends TSchema>(
  op: Operation<Q, R>,
): Operation<Q, R> {
  return op;
}

/** The backend `name` (default: the first) with its name. */
export function pick(
  ctx: OperationContext,
  name: string | undefined,
): { name: string; backend: Backend } {
  return ctx.backends.get(name);
}
