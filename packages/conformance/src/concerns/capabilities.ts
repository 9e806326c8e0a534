import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { addRaw } from '../support/raw-jobs.js';
import { sleep, waitFor } from '../support/wait-for.js';

/**
 * What `durable` and `pushWakeups` promise, checked where a backend declares them (the
 * other capabilities gate the tests of the concerns they belong to).
 */
export function capabilities(env: SuiteEnv): void {
  const h = useHarness(env, 'capabilities');

  it('durable: jobs outlive the backend that added them — a new one on the same store has them', async (ctx) => {
    // Needs capability `durable`: an in-process store ends with its backend.
    ctx.skip(!env.capabilities.durable, 'backend does not declare durable');
    const name = h.name();
    const first = await env.createBackend();
    const [id] = await addRaw(first, name, [{ name: 'kept', payload: '{"n":1}' }]);
    await first.close();
    const second = await env.createBackend();
    expect(await second.admin.get(name, id!)).toMatchObject({
      id,
      name: 'kept',
      state: 'waiting',
      payload: '{"n":1}',
    });
  });

  it('pushWakeups: a wait wakes when another process adds, long before its maxWaitMs', async (ctx) => {
    // Needs `pushWakeups` and, to have "another process", `distributedEvents`.
    ctx.skip(
      !(env.capabilities.pushWakeups && env.capabilities.distributedEvents),
      'backend does not declare pushWakeups and distributedEvents',
    );
    const name = h.name();
    const producer = await env.createBackend();
    const bound = env.wakeBound();
    let woke = 0;
    void h.backend.jobs
      .waitForWork(name, { signal: AbortSignal.timeout(50 * bound), maxWaitMs: 50 * bound })
      .then(() => {
        woke = Date.now();
      });
    await sleep(2 * env.timing.tickMs);
    const addedAt = Date.now();
    await addRaw(producer, name, [{}]);
    await waitFor(() => woke > 0, 10 * bound, 'the wait to wake');
    expect(woke - addedAt).toBeLessThanOrEqual(bound);
  });
}
