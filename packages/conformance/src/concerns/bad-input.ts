import { ClosedError, type JobOptions, PayloadTooLargeError, Queue, Worker } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { caught, issuePaths } from '../support/expect-errors.js';
import { useHarness } from '../support/harness.js';

const BAD_OPTIONS: [string, JobOptions][] = [
  ['/opts/delay', { delay: -1 }],
  ['/opts/delay', { delay: 1.5 }],
  ['/opts/priority', { priority: -1 }],
  ['/opts/priority', { priority: 3_000_000 }],
  ['/opts/attempts', { attempts: 0 }],
  ['/opts/jobId', { jobId: '12345' }],
  ['/opts/jobId', { jobId: '' }],
  ['/opts/timeout', { timeout: 0 }],
  ['/opts/backoff', { backoff: -5 }],
  ['/opts/backoff', { backoff: { type: 'linear', delay: 10 } as never }],
  ['/opts/deduplication/id', { deduplication: { id: '' } }],
  ['/opts/deduplication/ttl', { deduplication: { id: 'k', ttl: 0 } }],
  ['/opts/removeOnComplete', { removeOnComplete: -1 }],
  ['/opts/removeOnFail', { removeOnFail: { age: -1 } }],
  ['/opts/lifo', { lifo: 'yes' as never }],
  ['/opts/bogus', { bogus: true } as never],
];

/**
 * Invalid options and payloads are rejected with a typed error naming the field, before
 * anything is written; oversized payloads are refused.
 */
export function badInput(env: SuiteEnv): void {
  const h = useHarness(env, 'bad-input');

  async function expectEmpty(q: Queue): Promise<void> {
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
    expect(await h.backend.admin.listQueues()).not.toContain(q.name);
  }

  it('each bad job option is a ValidationError naming its path, and nothing is written', async () => {
    const q = h.queue();
    for (const [path, opts] of BAD_OPTIONS) {
      const paths = await issuePaths(() => q.add('job', null, opts));
      expect(
        paths.some((p) => p.startsWith(path)),
        `${JSON.stringify(opts)} → ${paths}`,
      ).toBe(true);
    }
    await expectEmpty(q);
  });

  it('a bad job name is a ValidationError at /name', async () => {
    const q = h.queue();
    expect(await issuePaths(() => q.add('', null))).toContain('/name');
    expect(await issuePaths(() => q.add('x'.repeat(1000), null))).toContain('/name');
    await expectEmpty(q);
  });

  it('one bad job in addBulk rejects the whole batch, nothing written', async () => {
    const q = h.queue();
    const paths = await issuePaths(() =>
      q.addBulk([
        { name: 'ok', data: 1 },
        { name: 'bad', data: 2, opts: { attempts: -1 } },
        { name: 'ok', data: 3 },
      ]),
    );
    expect(paths).toContain('/opts/attempts');
    await expectEmpty(q);
  });

  it('a payload that is not JSON-serializable is a ValidationError at /data, nothing written', async () => {
    const q = h.queue();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const data of [circular, { n: 10n }]) {
      const paths = await issuePaths(() => q.add('job', data));
      expect(paths.some((p) => p.startsWith('/data'))).toBe(true);
    }
    await expectEmpty(q);
  });

  it('an oversized payload is a PayloadTooLargeError, nothing written', async () => {
    const small = h.queue({ maxPayloadBytes: 1024 });
    const err = await caught(() => small.add('big', { blob: 'x'.repeat(2048) }));
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).code).toBe('MQ_PAYLOAD_TOO_LARGE');
    expect((err as PayloadTooLargeError).limit).toBe(1024);
    expect((err as PayloadTooLargeError).bytes).toBeGreaterThan(2048);
    // Multi-byte characters count by their UTF-8 size.
    expect(await caught(() => small.add('big', 'é'.repeat(600)))).toBeInstanceOf(
      PayloadTooLargeError,
    );
    await expectEmpty(small);
    expect((await small.add('fits', 'x'.repeat(900))).status).toBe('added');

    const byDefault = h.queue();
    expect(await caught(() => byDefault.add('big', 'x'.repeat(600 * 1024)))).toBeInstanceOf(
      PayloadTooLargeError,
    );
    await expectEmpty(byDefault);
  });

  it('bad queue, worker and admin arguments are ValidationErrors naming the field', async () => {
    const backend = h.backend;
    expect(await issuePaths(() => new Queue('has space', { backend }))).toContain('/name');
    expect(await issuePaths(() => new Queue('q', { backend, maxPayloadBytes: 0 }))).toContain(
      '/maxPayloadBytes',
    );
    const worker = (opts: object) => () =>
      new Worker('q', async () => undefined, { backend, autorun: false, ...opts });
    expect(await issuePaths(worker({ concurrency: 0 }))).toContain('/concurrency');
    expect(await issuePaths(worker({ leaseMs: 10 }))).toContain('/leaseMs');
    expect(await issuePaths(worker({ limiter: { max: 0, duration: 10 } }))).toContain(
      '/limiter/max',
    );
    const q = h.queue();
    await q.add('a', null);
    expect(await issuePaths(() => q.getJobs('bogus' as never))).toContain('/state');
    expect(await issuePaths(() => q.getJobs('waiting', { limit: 0 }))).toContain('/page/limit');
    expect(await issuePaths(() => q.cleanJobs({ state: 'completed', grace: -1 }))).toContain(
      '/grace',
    );
    expect(await issuePaths(() => q.retryJobs({ state: 'failed', limit: 0 }))).not.toEqual([]);
    expect(await issuePaths(() => q.promoteJobs({ limit: -1 }))).not.toEqual([]);
    expect(await q.getCounts()).toMatchObject({ waiting: 1 });
  });

  it('a closed Queue refuses adds with ClosedError', async () => {
    const q = h.queue();
    await q.close();
    const err = await caught(() => q.add('a', null));
    expect(err).toBeInstanceOf(ClosedError);
    await expectEmpty(q);
  });
}
