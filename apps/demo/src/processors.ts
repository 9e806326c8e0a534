import { type Processor, UnrecoverableError } from '@mq/core';
import type { EmailPayload, Simulation, WebhookPayload } from './payload.js';
import { workTime } from './random.js';
import { sleep } from './sleep.js';

/** What an email job returns. */
export interface EmailResult {
  messageId: string;
}

/** What a webhook job returns. */
export interface WebhookResult {
  status: number;
}

/** Stands in for the network call: takes `ms`, then answers as `sim` says. */
async function remoteCall(
  sim: Simulation | undefined,
  attemptsMade: number,
  ms: number,
  signal: AbortSignal,
  transient: string,
): Promise<void> {
  await sleep(ms, signal);
  // On close the worker aborts the signal and hands the job back: stop here.
  signal.throwIfAborted();
  if (sim?.reject) throw new UnrecoverableError(sim.reject);
  // attemptsMade counts finished attempts, so this fails attempts 1..failTimes.
  if (sim?.failTimes !== undefined && attemptsMade < sim.failTimes) throw new Error(transient);
}

/** Sends an email: 10–80 ms, mostly quick; fails as its `simulate` says. */
export const sendEmail: Processor<EmailPayload, EmailResult> = async (job, { signal }) => {
  const ms = workTime(10, 80, 2);
  await remoteCall(job.data.simulate, job.attemptsMade, ms, signal, '421 mail server busy');
  return { messageId: `<${job.id}@mail.example>` };
};

/** Delivers a webhook: 20–220 ms with a long tail; fails as its `simulate` says. */
export const deliverWebhook: Processor<WebhookPayload, WebhookResult> = async (job, { signal }) => {
  const ms = workTime(20, 220, 3);
  await remoteCall(job.data.simulate, job.attemptsMade, ms, signal, '503 endpoint unavailable');
  return { status: 200 };
};
