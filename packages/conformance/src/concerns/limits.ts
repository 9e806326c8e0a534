import {
  type JobOptions,
  MAX_COUNT,
  MAX_DURATION_MS,
  MAX_TIMER_MS,
  Queue,
  QueueEvents,
  type ValidationError,
  Worker,
} from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { caught, issuePaths } from '../support/expect-errors.js';
import { useHarness } from '../support/harness.js';
import { waitFor } from '../support/wait-for.js';

/** Numbers past what every backend stores or every timer holds, with the path each names. */
const TOO_BIG: [string, JobOptions][] = [
  ['/opts/timeout', { timeout: 2 ** 31 }],
  ['/opts/delay', { delay: MAX_DURATION_MS + 1 }],
  ['/opts/backoff', { backoff: 1e19 }],
  ['/opts/backoff/delay', { backoff: { type: 'fixed', delay: 1e19 } }],
  ['/opts/backoff/delay', { backoff: { type: 'fixed', delay: 1e300 } }],
  ['/opts/backoff/maxDelay', { backoff: { type: 'exponential', delay: 1, maxDelay: 1e19 } }],
  ['/opts/deduplication/ttl', { deduplication: { id: 'k', ttl: 1e300 } }],
  ['/opts/removeOnComplete/age', { removeOnComplete: { age: 1e300 } }],
  ['/opts/removeOnComplete/age', { removeOnComplete: { age: 1e19 } }],
  ['/opts/removeOnFail/count', { removeOnFail: { count: 2 ** 31 } }],
  ['/opts/removeOnComplete', { removeOnComplete: 2 ** 31 }],
];

/** Strings no backend stores faithfully: a NUL, or a lone surrogate (stored as U+FFFD). */
const BAD_TEXT = ['a\u0000b', 'order-\ud800', 'order-\udbff', '\udc00x'];

/**
 * The limits every backend can hold, checked in core before anything is written: numbers
 * up to what a timer or a store keeps, strings without NUL and with well-formed UTF-16;
 * values at the limits are stored and honoured. Plus the shapes of input that used to
 * surface as `TypeError`s or unnamed union errors.
 */
export function limits(env: SuiteEnv): void {
  const h = useHarness(env, 'limits');

  async function expectNothingWritten(q: Queue): Promise<void> {
    expect(await q.getCounts()).toEqual({
      waiting: 0,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
  }

  it('numbers past the storable or timer maximum are ValidationErrors naming the field', async () => {
    const q = h.queue();
    for (const [path, opts] of TOO_BIG) {
      const paths = await issuePaths(() => q.add('job', null, opts));
      expect(paths, JSON.stringify(opts)).toContain(path);
    }
    const worker = (opts: object) => () =>
      new Worker('q', async () => undefined, { backend: h.backend, autorun: false, ...opts });
    expect(await issuePaths(worker({ leaseMs: 2 ** 31 }))).toContain('/leaseMs');
    expect(await issuePaths(worker({ callTimeoutMs: 2 ** 31 }))).toContain('/callTimeoutMs');
    expect(await issuePaths(worker({ limiter: { max: 2 ** 31, duration: 10 } }))).toContain(
      '/limiter/max',
    );
    expect(
      await issuePaths(() => q.upsertRepeatable('s', { every: 1e19 }, { name: 'j' })),
    ).toContain('/repeat/every');
    expect(
      await issuePaths(() => q.upsertRepeatable('s', { every: 10, limit: 2 ** 31 }, { name: 'j' })),
    ).toContain('/repeat/limit');
    await expectNothingWritten(q);
  });

  it('ids and names with a NUL or an unpaired surrogate are ValidationErrors, nothing written', async () => {
    const q = h.queue();
    for (const text of BAD_TEXT) {
      expect(await issuePaths(() => q.add(text, null)), JSON.stringify(text)).toContain('/name');
      expect(await issuePaths(() => q.add('j', null, { jobId: text }))).toContain('/opts/jobId');
      expect(await issuePaths(() => q.add('j', null, { deduplication: { id: text } }))).toContain(
        '/opts/deduplication/id',
      );
      expect(
        await issuePaths(() => q.upsertRepeatable(text, { every: 10 }, { name: 'j' })),
      ).not.toEqual([]);
    }
    const err = (await caught(() => q.add('j', null, { jobId: 'x\u0000' }))) as ValidationError;
    expect(err.issues[0]?.rule).toMatch(/NUL/);
    await expectNothingWritten(q);
    // Well-formed text outside the BMP is an ordinary id: two of them stay distinct.
    const a = await q.add('j', null, { jobId: 'order-\ud83d\ude00' });
    const b = await q.add('j', null, { jobId: 'order-\ud83d\ude01' });
    expect([a.status, b.status]).toEqual(['added', 'added']);
    expect((await q.getJob('order-\ud83d\ude01'))?.id).toBe('order-\ud83d\ude01');
  });

  it('values at the limits are stored and honoured', async () => {
    const q = h.queue();
    const far = {
      removeOnComplete: { age: MAX_DURATION_MS, count: MAX_COUNT },
      removeOnFail: { age: MAX_DURATION_MS, count: MAX_COUNT },
    };
    const late = await q.add('late', null, { delay: MAX_DURATION_MS, ...far });
    await q.add('dedup', null, { deduplication: { id: 'k', ttl: MAX_DURATION_MS } });
    expect((await q.add('dedup', null, { deduplication: { id: 'k' } })).status).toBe(
      'deduplicated',
    );
    const retried = await q.add('retried', null, {
      attempts: 2,
      backoff: { type: 'fixed', delay: MAX_DURATION_MS },
      ...far,
    });
    // The longest timeout a timer holds must not fire at once (Node fires longer ones after 1 ms).
    const timed = await q.add('timed', null, { timeout: MAX_TIMER_MS, ...far });
    const ran: string[] = [];
    h.worker(q.name, async (job) => {
      ran.push(job.name);
      if (job.name === 'retried') throw new Error('once');
      await new Promise((r) => setTimeout(r, 2 * env.timing.tickMs));
      return 'ok';
    });
    await waitFor(
      async () => (await q.getCounts()).completed === 2 && (await q.getCounts()).delayed === 2,
      env.patienceMs,
      'dedup and timed completed, late and retried delayed',
    );
    expect((await q.getJob(timed.id))?.state).toBe('completed');
    expect((await q.getJob(late.id))?.state).toBe('delayed');
    const r = await q.getJob(retried.id);
    expect(r?.state).toBe('delayed');
    expect(r?.attemptsMade).toBe(1);
    expect(ran.sort()).toEqual(['dedup', 'retried', 'timed']);
  });

  it('addBulk of a non-array and payloads that serialise to nothing are ValidationErrors', async () => {
    const q = h.queue();
    expect(await issuePaths(() => q.addBulk({ name: 'j', data: 1 } as never))).toContain('/jobs');
    expect(await issuePaths(() => q.addBulk([null] as never))).toContain('/jobs/0');
    const nothing = [() => 1, Symbol('s'), { toJSON: () => undefined }];
    for (const data of nothing) expect(await issuePaths(() => q.add('j', data))).toContain('/data');
    await expectNothingWritten(q);
  });

  it('a union-typed input names the field and rule of the branch it was meant as', async () => {
    const q = h.queue();
    const rules = async (fn: () => unknown) =>
      ((await caught(fn)) as ValidationError).issues.map((i) => `${i.path} ${i.rule}`).join('; ');
    expect(await issuePaths(() => q.retryJobs({ state: 'failed', limit: 0 }))).toEqual(['/limit']);
    expect(await issuePaths(() => q.retryJobs({ ids: [''] }))).toEqual(['/ids/0']);
    expect(await issuePaths(() => q.promoteJobs({ limit: -1 }))).toEqual(['/limit']);
    const opt = (opts: JobOptions) => () => q.add('j', null, opts);
    expect(await issuePaths(opt({ backoff: { type: 'fixed', delay: -1 } }))).toEqual([
      '/opts/backoff/delay',
    ]);
    expect(await rules(opt({ backoff: { type: 'linear', delay: 1 } as never }))).toMatch(
      /^\/opts\/backoff\/type must be "fixed", "exponential" or "custom"$/,
    );
    expect(
      await issuePaths(opt({ backoff: { type: 'exponential', delay: 1, jitter: 2 } })),
    ).toEqual(['/opts/backoff/jitter']);
    expect(await issuePaths(opt({ backoff: { type: 'custom', name: '' } }))).toEqual([
      '/opts/backoff/name',
    ]);
    expect(await issuePaths(opt({ removeOnComplete: { age: -1 } }))).toEqual([
      '/opts/removeOnComplete/age',
    ]);
    expect(await issuePaths(opt({ removeOnFail: { count: 1, bogus: 1 } as never }))).toEqual([
      '/opts/removeOnFail/bogus',
    ]);
    expect(await rules(opt({ removeOnFail: 'yes' as never }))).toMatch(
      /^\/opts\/removeOnFail must be a boolean, an integer or an object$/,
    );
    expect(await issuePaths(opt({ deduplication: { id: 'k', ttl: 0 } }))).toEqual([
      '/opts/deduplication/ttl',
    ]);
    expect(await rules(() => q.getJobs('bogus' as never))).toMatch(/^\/state must be "waiting", /);
    expect(
      await issuePaths(() =>
        q.upsertRepeatable('s', { every: 10 }, { name: 'j', opts: { backoff: -1 } }),
      ),
    ).not.toEqual([]);
    await expectNothingWritten(q);
  });

  it('a missing backend is a ValidationError naming /backend at construction', async () => {
    expect(await issuePaths(() => new Queue('q', {} as never))).toEqual(['/backend']);
    expect(await issuePaths(() => new Queue('q', undefined as never))).toEqual(['/backend']);
    expect(await issuePaths(() => new Worker('q', async () => 1, {} as never))).toEqual([
      '/backend',
    ]);
    expect(await issuePaths(() => new QueueEvents('q', {}))).toEqual(['/backend']);
    expect(
      await issuePaths(() => new Worker('q', undefined as never, { backend: h.backend })),
    ).toEqual(['/processor']);
  });
}
