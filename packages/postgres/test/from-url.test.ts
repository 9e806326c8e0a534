import { backendFromUrl, Queue } from '@mq/core';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, sql, svc, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('url');

describe.skipIf(svc.skip !== undefined)('postgres:// URLs', () => {
  afterAll(() => dropSchema(schema));

  it('backendFromUrl opens @mq/postgres in the ?schema= of the URL, migrated with ?migrate=true', async () => {
    const url = `${svc.url}${svc.url?.includes('?') ? '&' : '?'}schema=${schema}&migrate=true`;
    // The package resolves itself by name (its exports map), as an application would.
    const backend = await backendFromUrl(url, undefined, (p) => import(p));
    await backend.ready();
    const queue = new Queue('q', { backend, events: false });
    await queue.add('x', {}, { jobId: 'one' });
    const rows = await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    expect(rows).toHaveLength(1);
    expect((await queue.getJob('one'))?.name).toBe('x');
    await queue.close();
    await backend.close();
  });
});
