/**
 * How the remote side (mail server, webhook endpoint) will answer, decided by the
 * producer so that the outcome of every job is known in advance and can be checked.
 */
export interface Simulation {
  /** The first `failTimes` attempts fail with a transient error, then it succeeds. */
  failTimes?: number;
  /** Every attempt fails with this permanent reason (`UnrecoverableError`). */
  reject?: string;
}

/** Payload of an `emails` job. */
export interface EmailPayload {
  to: string;
  template: string;
  simulate?: Simulation;
}

/** Payload of a `webhooks` job. */
export interface WebhookPayload {
  url: string;
  event: string;
  simulate?: Simulation;
}
