import { DeduplicationSchema } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { issuePaths } from '../support/expect-errors.js';
import { useHarness } from '../support/harness.js';
import { waitForState } from '../support/wait-for.js';

/*
 * Any TypeBox schema works as a task schema. The suite borrows one that @mq/core exports
 * (an object `{ id: string (1..512), ttl?: integer >= 1, extend?, replace? }` with no
 * other keys) so that it needs no TypeBox dependency of its own.
 */
const schemas = { typed: DeduplicationSchema };

/**
 * Typed tasks: `add` validates the payload against the task's schema before writing; a
 * worker with the schema fails a non-conforming stored payload as unrecoverable.
 */
export function typedTasks(env: SuiteEnv): void {
  const h = useHarness(env, 'typed-tasks');

  it('add rejects a payload failing its task schema with the path, nothing written', async () => {
    const q = h.queue({ schemas });
    expect(await issuePaths(() => q.add('typed', { id: 'a', ttl: 'soon' }))).toContain('/data/ttl');
    expect(await issuePaths(() => q.add('typed', { id: '' }))).toContain('/data/id');
    expect(await issuePaths(() => q.add('typed', { id: 'a', extra: 1 }))).toContain('/data/extra');
    expect(
      await issuePaths(() =>
        q.addBulk([
          { name: 'typed', data: { id: 'ok' } },
          { name: 'typed', data: {} },
        ]),
      ),
    ).toContain('/data/id');
    expect(await q.getCounts()).toMatchObject({ waiting: 0 });
    expect(await h.backend.admin.listQueues()).not.toContain(q.name);
  });

  it('add accepts a conforming payload; names without a schema are not checked', async () => {
    const q = h.queue({ schemas });
    expect((await q.add('typed', { id: 'a', ttl: 5 })).status).toBe('added');
    expect((await q.add('untyped', { anything: true })).status).toBe('added');
    expect((await q.getCounts()).waiting).toBe(2);
  });

  it('a worker with the schema fails a non-conforming stored payload without retry', async () => {
    const unchecked = h.queue();
    const { id } = await unchecked.add('typed', { id: 42 }, { attempts: 3 });
    const ran: string[] = [];
    h.worker(unchecked.name, async (job) => ran.push(job.id), { schemas });
    const job = await waitForState(unchecked, id, 'failed', env.patienceMs);
    expect(ran).toEqual([]);
    expect(job.attemptsMade).toBe(1);
    expect(job.error?.name).toBe('ValidationError');
    expect(job.error?.message).toContain('/data/id');
  });
}
