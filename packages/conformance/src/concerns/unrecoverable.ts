import { UnrecoverableError } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { waitForState } from '../support/wait-for.js';

/** `UnrecoverableError` fails the job at once, whatever attempts are left. */
export function unrecoverable(env: SuiteEnv): void {
  const h = useHarness(env, 'unrecoverable');

  it('UnrecoverableError fails the job without retry', async () => {
    const q = h.queue();
    const attempts: number[] = [];
    h.worker(q.name, async (job) => {
      attempts.push(job.attemptsMade);
      throw new UnrecoverableError('card declined');
    });
    const { id } = await q.add('charge', null, { attempts: 5 });
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.attemptsMade).toBe(1);
    expect(job.error).toMatchObject({ name: 'UnrecoverableError', message: 'card declined' });
    expect(attempts).toEqual([0]);
  });

  it('an ordinary error with the same attempts is retried (control)', async () => {
    const q = h.queue();
    h.worker(q.name, async () => {
      throw new Error('transient');
    });
    const { id } = await q.add('charge', null, { attempts: 3 });
    const job = await waitForState(q, id, 'failed', env.patienceMs);
    expect(job.attemptsMade).toBe(3);
  });
}
