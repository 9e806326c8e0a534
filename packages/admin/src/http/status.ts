import { MqError } from '@mq/core';

/** HTTP status per `MqError` code; codes not listed are 500. */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  MQ_VALIDATION: 400,
  MQ_ADMIN_BAD_REQUEST: 400,
  MQ_ADMIN_UNAUTHENTICATED: 401,
  MQ_ADMIN_FORBIDDEN: 403,
  MQ_ADMIN_CROSS_SITE: 403,
  MQ_ADMIN_RESERVED_QUEUE: 403,
  MQ_ADMIN_NOT_FOUND: 404,
  MQ_ADMIN_CONFIRMATION: 409,
  MQ_OBLITERATE_REFUSED: 409,
  MQ_JOB_STATE: 409,
  MQ_PAYLOAD_TOO_LARGE: 413,
  MQ_UNSUPPORTED: 501,
  MQ_CLOSED: 503,
  MQ_BACKEND_TIMEOUT: 504,
};

/** The JSON error body and status for `err`; unknown errors hide their message. */
export function errorResponse(err: unknown): {
  status: number;
  body: { error: Record<string, unknown> };
} {
  if (err instanceof MqError) {
    const body: Record<string, unknown> = { code: err.code, message: err.message };
    const issues = (err as { issues?: unknown }).issues;
    if (issues !== undefined) body.issues = issues;
    return { status: STATUS_BY_CODE[err.code] ?? 500, body: { error: body } };
  }
  return {
    status: 500,
    body: {
      error: { code: 'MQ_ADMIN_INTERNAL', message: 'Internal error; see the admin server log.' },
    },
  };
}
