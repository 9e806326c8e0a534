import { ValidationError } from '@mq/core';
import { expect } from 'vitest';

/** The error `fn` throws or rejects with; throws when the call succeeds. */
export async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, but the call succeeded');
}

/** The issue paths of the `ValidationError` that `fn` throws (asserts the type and code). */
export async function issuePaths(fn: () => unknown): Promise<string[]> {
  const err = await caught(fn);
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).code).toBe('MQ_VALIDATION');
  return (err as ValidationError).issues.map((i) => i.path);
}
