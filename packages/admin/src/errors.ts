/**
 * Every error @mq/admin throws. Each extends `MqError` with a stable `code`; the HTTP
 * face maps codes to statuses (see `http/status.ts`).
 */
import { MqError } from '@mq/core';
import type { Role } from './operations/roles.js';

/** The request carried no credentials the admin accepts. */
export class UnauthenticatedError extends MqError {
  constructor(message = 'Authentication required: send "Authorization: Bearer <token>".') {
    super('MQ_ADMIN_UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

/** The caller's role does not allow the action. */
export class ForbiddenError extends MqError {
  constructor(
    readonly action: string,
    readonly role: Role,
    readonly required: Role,
  ) {
    super(
      'MQ_ADMIN_FORBIDDEN',
      `Action "${action}" needs role "${required}"; you have "${role}". Ask an admin for a token with that role.`,
    );
    this.name = 'ForbiddenError';
  }
}

/** A mutation came from another site (CSRF guard). */
export class CrossSiteRequestError extends MqError {
  constructor(detail: string) {
    super(
      'MQ_ADMIN_CROSS_SITE',
      `Mutation refused: ${detail}. Send mutations from the dashboard's own origin, or with a bearer token and a JSON body.`,
    );
    this.name = 'CrossSiteRequestError';
  }
}

/** No such backend, queue, job or schedule. */
export class NotFoundError extends MqError {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super('MQ_ADMIN_NOT_FOUND', `No ${what} "${id}". Check the name (list them first).`);
    this.name = 'NotFoundError';
  }
}

/** A destructive action's confirmation did not match what it would do now. */
export class ConfirmationError extends MqError {
  constructor(message: string) {
    super('MQ_ADMIN_CONFIRMATION', message);
    this.name = 'ConfirmationError';
  }
}

/** The admin's own bookkeeping queues are not open to operator actions. */
export class ReservedQueueError extends MqError {
  constructor(readonly queue: string) {
    super(
      'MQ_ADMIN_RESERVED_QUEUE',
      `Queue "${queue}" holds @mq/admin's audit log and cannot be changed through the admin. Pick one of your own queues.`,
    );
    this.name = 'ReservedQueueError';
  }
}

/** `createAdmin` / `createOperations` options are unusable. */
export class AdminConfigError extends MqError {
  constructor(message: string) {
    super('MQ_ADMIN_CONFIG', message);
    this.name = 'AdminConfigError';
  }
}

/** The `mq` command line was called wrongly (unknown command or flag, bad value). */
export class CliUsageError extends MqError {
  constructor(message: string) {
    super('MQ_CLI_USAGE', message);
    this.name = 'CliUsageError';
  }
}

/** `mq` refused a destructive action that was not confirmed (no `--yes`, no terminal, or declined). */
export class CliRefusedError extends MqError {
  constructor(message: string) {
    super('MQ_CLI_REFUSED', message);
    this.name = 'CliRefusedError';
  }
}
