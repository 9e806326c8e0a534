import type { AddedJob, BulkJob, Queue } from '@mq/core';
import type { EmailPayload, Simulation, WebhookPayload } from './payload.js';
import type { DemoPlan } from './plan.js';
import { pickWeighted, randomInt } from './random.js';
import { sleep } from './sleep.js';
import type { QueueStats } from './stats.js';

/** Builds the next batch of a producer, given the time since the run started. */
export type Mix<D> = (elapsedMs: number) => BulkJob<D>[];

/** One job (or burst) of every kind: each behaviour shows up in every run, however short. */
function openingBatch<D>(kinds: (readonly [number, () => BulkJob<D>[]])[]): BulkJob<D>[] {
  return kinds.flatMap(([, make]) => make());
}

/**
 * The email traffic of a small product: sign-ups, password resets (high priority),
 * reminders (delayed), receipts through a flaky mail server (retried with exponential
 * backoff), bad addresses (unrecoverable), digests clicked several times (deduplicated
 * while one is pending), and one newsletter campaign that builds a backlog.
 */
export function emailMix(plan: DemoPlan): Mix<EmailPayload> {
  let campaignSent = false;
  let user = 0;
  const to = () => `user${++user}@example.com`;
  const kinds: (readonly [number, () => BulkJob<EmailPayload>[]])[] = [
    [35, () => [{ name: 'welcome', data: { to: to(), template: 'welcome' } }]],
    [
      10,
      () => [
        { name: 'password-reset', data: { to: to(), template: 'reset' }, opts: { priority: 10 } },
      ],
    ],
    [
      15,
      () => [
        {
          name: 'reminder',
          data: { to: to(), template: 'cart-reminder' },
          opts: { delay: randomInt(200, plan.maxDelayMs) },
        },
      ],
    ],
    [
      15,
      () => [
        {
          name: 'receipt',
          data: { to: to(), template: 'receipt', simulate: { failTimes: randomInt(1, 2) } },
          opts: { attempts: 4, backoff: { type: 'exponential', delay: 100, jitter: 0.5 } },
        },
      ],
    ],
    [
      5,
      () => [
        {
          name: 'welcome',
          data: {
            to: `typo${++user}@exmaple.invalid`,
            template: 'welcome',
            simulate: { reject: '550 mailbox does not exist' },
          },
          // Attempts are allowed, yet an UnrecoverableError must not use them.
          opts: { attempts: 3, backoff: { type: 'exponential', delay: 100 } },
        },
      ],
    ],
    [
      10,
      () => {
        const id = `digest:user-${randomInt(1, 6)}`;
        return Array.from({ length: randomInt(3, 5) }, () => ({
          name: 'digest',
          data: { to: `${id}@example.com`, template: 'digest' },
          opts: { deduplication: { id } },
        }));
      },
    ],
  ];
  let opened = false;
  return (elapsedMs) => {
    const jobs: BulkJob<EmailPayload>[] = [];
    if (!opened) jobs.push(...openingBatch(kinds));
    opened = true;
    if (!campaignSent && elapsedMs >= plan.campaignAtMs) {
      campaignSent = true;
      for (let i = 0; i < plan.campaignSize; i++)
        jobs.push({ name: 'newsletter', data: { to: to(), template: 'newsletter' } });
    }
    for (let n = randomInt(2, 7); n > 0; n--) jobs.push(...pickWeighted(kinds)());
    return jobs;
  };
}

/**
 * The webhook traffic of a shop: orders (with the event id as `jobId`, and some events
 * delivered twice by the upstream), paid invoices (priority), renewals (delayed), a
 * flaky partner (retried), a removed endpoint (unrecoverable), and stock changes
 * throttled to one per SKU per 300 ms (dedup with ttl).
 */
export function webhookMix(plan: DemoPlan): Mix<WebhookPayload> {
  let seq = 0;
  const recent: string[] = [];
  const order = (): BulkJob<WebhookPayload> => {
    // At-least-once upstream: a recent event comes again; its jobId makes it a no-op.
    const again = recent.length > 0 && Math.random() < 0.2;
    const event = again ? (recent[randomInt(0, recent.length - 1)] as string) : `evt_${++seq}`;
    if (!again && recent.push(event) > 20) recent.shift();
    return {
      name: 'order.created',
      data: { url: 'https://shop.example/hooks', event },
      opts: { jobId: event },
    };
  };
  const hook = (name: string, url: string, simulate?: Simulation): WebhookPayload => ({
    url,
    event: `${name}#${++seq}`,
    ...(simulate ? { simulate } : {}),
  });
  const kinds: (readonly [number, () => BulkJob<WebhookPayload>[]])[] = [
    [35, () => [order()]],
    [
      10,
      () => [
        {
          name: 'invoice.paid',
          data: hook('invoice.paid', 'https://erp.example/in'),
          opts: { priority: 5 },
        },
      ],
    ],
    [
      15,
      () => [
        {
          name: 'subscription.renewal',
          data: hook('subscription.renewal', 'https://billing.example/hook'),
          opts: { delay: randomInt(200, plan.maxDelayMs) },
        },
      ],
    ],
    [
      15,
      () => [
        {
          name: 'partner.sync',
          data: hook('partner.sync', 'https://partner.example/sync', {
            failTimes: randomInt(1, 3),
          }),
          opts: {
            attempts: 5,
            backoff: { type: 'exponential', delay: 50, jitter: 0.5, maxDelay: 1000 },
          },
        },
      ],
    ],
    [
      5,
      () => [
        {
          name: 'legacy.callback',
          data: hook('legacy.callback', 'https://old.example/cb', {
            reject: '410 Gone: endpoint removed',
          }),
          opts: { attempts: 3 },
        },
      ],
    ],
    [
      10,
      () => {
        const id = `sku-${randomInt(1, 4)}`;
        return Array.from({ length: randomInt(2, 4) }, () => ({
          name: 'inventory.changed',
          data: hook('inventory.changed', `https://search.example/reindex/${id}`),
          opts: { deduplication: { id, ttl: 300 } },
        }));
      },
    ],
  ];
  let opened = false;
  return () => {
    const jobs: BulkJob<WebhookPayload>[] = [];
    if (!opened) jobs.push(...openingBatch(kinds));
    opened = true;
    for (let n = randomInt(1, 5); n > 0; n--) jobs.push(...pickWeighted(kinds)());
    return jobs;
  };
}

function tally<D extends { simulate?: Simulation }>(
  stats: QueueStats,
  result: AddedJob,
  job: BulkJob<D>,
): void {
  if (result.status === 'added' || result.status === 'replaced') {
    stats.added++;
    if (job.data.simulate?.reject !== undefined) stats.doomedIds.add(result.id);
  } else {
    stats.dedupHits++;
  }
}

/**
 * Adds a batch from `mix` every `plan.tickMs` (one `addBulk` round trip each) until
 * `plan.produceForMs` after `startedAt`, or until `signal` aborts. Tallies every add
 * result into `stats`.
 */
export async function produce<D extends { simulate?: Simulation }>(
  queue: Queue<D>,
  stats: QueueStats,
  mix: Mix<D>,
  plan: DemoPlan,
  startedAt: number,
  signal: AbortSignal,
): Promise<void> {
  for (;;) {
    const elapsed = Date.now() - startedAt;
    if (signal.aborted || elapsed >= plan.produceForMs) return;
    const jobs = mix(elapsed);
    const results = await queue.addBulk(jobs);
    results.forEach((r, i) => {
      tally(stats, r, jobs[i] as BulkJob<D>);
    });
    await sleep(plan.tickMs, signal);
  }
}
