import type { QueueSpec } from './demo-queue.js';
import type { EmailPayload, WebhookPayload } from './payload.js';
import { deliverWebhook, type EmailResult, sendEmail, type WebhookResult } from './processors.js';
import { emailMix, webhookMix } from './producers.js';

/** `emails`: 6 jobs at once, no rate limit. */
export const EMAILS: QueueSpec<EmailPayload, EmailResult> = {
  name: 'emails',
  processor: sendEmail,
  concurrency: 6,
  mix: emailMix,
};

/** `webhooks`: 12 at once, at most 50 started per second (be kind to receivers). */
export const WEBHOOKS: QueueSpec<WebhookPayload, WebhookResult> = {
  name: 'webhooks',
  processor: deliverWebhook,
  concurrency: 12,
  limiter: { max: 50, duration: 1000 },
  mix: webhookMix,
};
