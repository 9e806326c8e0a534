import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../src/index.js';
import { toNewJob } from '../src/new-job.js';

const ctx = {
  defaults: undefined,
  maxPayloadBytes: 1024,
  schemas: { typed: Type.Object({ n: Type.Integer() }) },
};

function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('MQ_VALIDATION');
    return (err as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected a ValidationError');
}

describe('toNewJob', () => {
  it('names the offending option', () => {
    expect(issuePaths(() => toNewJob('j', {}, { delay: -1 }, ctx))).toContain('/opts/delay');
    expect(issuePaths(() => toNewJob('j', {}, { attempts: 0 }, ctx))).toContain('/opts/attempts');
    expect(issuePaths(() => toNewJob('j', {}, { jobId: '123' }, ctx))).toContain('/opts/jobId');
    expect(issuePaths(() => toNewJob('j', {}, { priority: 1.5 }, ctx))).toContain('/opts/priority');
    expect(issuePaths(() => toNewJob('j', {}, { bogus: 1 } as never, ctx))).toContain(
      '/opts/bogus',
    );
    expect(issuePaths(() => toNewJob('', {}, undefined, ctx))).toContain('/name');
  });

  it('validates a typed task payload against its schema', () => {
    expect(issuePaths(() => toNewJob('typed', { n: 'x' }, undefined, ctx))).toContain('/data/n');
    expect(toNewJob('typed', { n: 1 }, undefined, ctx).payload).toBe('{"n":1}');
  });

  it('refuses an oversized payload with its size and the limit', () => {
    const err = (() => {
      try {
        toNewJob('j', { s: 'x'.repeat(2000) }, undefined, ctx);
      } catch (e) {
        return e as PayloadTooLargeError;
      }
    })();
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err?.limit).toBe(1024);
    expect(err?.bytes).toBeGreaterThan(2000);
  });

  it('resolves defaults: one attempt, bounded retention, shorthand backoff', () => {
    const job = toNewJob('j', null, { backoff: 500 }, ctx);
    expect(job.opts.attempts).toBe(1);
    expect(job.opts.removeOnComplete).toEqual({ age: 86_400_000, count: 1000 });
    expect(job.opts.removeOnFail).toEqual({ age: 604_800_000, count: 10_000 });
    expect(job.opts.backoff).toEqual({ type: 'fixed', delay: 500 });
    expect(job.delay).toBe(0);
    expect(job.priority).toBe(0);
  });
});
