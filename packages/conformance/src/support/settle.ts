import type { Backend } from '@mq/core';
import { reserveOne } from './raw-jobs.js';

/** How `finishNext` ends the attempt. */
export type Finish = 'completed' | 'failed';

/**
 * Reserves the next job of `queue` and settles it as completed or failed through the
 * contract; returns its id. Throws when the settle was not applied.
 */
export async function finishNext(backend: Backend, queue: string, kind: Finish): Promise<string> {
  const { job, token } = await reserveOne(backend, queue);
  const lease = { jobId: job.id, token };
  const r = await backend.jobs.settle(queue, [
    kind === 'completed'
      ? { ...lease, kind, result: JSON.stringify(job.id) }
      : { ...lease, kind, error: { name: 'Error', message: `failed ${job.id}` } },
  ]);
  if (r.results[0] !== 'ok') throw new Error(`settle ${kind} of job ${job.id} was ${r.results[0]}`);
  return job.id;
}

/** Finishes the next `n` jobs one by one (so their finish times are ordered). */
export async function finishMany(
  backend: Backend,
  queue: string,
  kind: Finish,
  n: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await finishNext(backend, queue, kind));
    // Distinct finish times keep "oldest finished first" unambiguous on ms clocks.
    await new Promise((r) => setTimeout(r, 2));
  }
  return ids;
}
