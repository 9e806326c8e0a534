import { backendFromUrl, Queue } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { MemoryBackendOptionError } from '../src/index.js';

// The package resolves itself by name (its exports map), as an application's import would.
const load = (pkg: string) => import(pkg);

describe('memory: URLs', () => {
  it('backendFromUrl("memory:") is a working, empty memory backend each time', async () => {
    const a = await backendFromUrl('memory:', undefined, load);
    const b = await backendFromUrl('memory:', undefined, load);
    await a.ready();
    await b.ready();
    const queue = new Queue('q', { backend: a, events: false });
    await queue.add('x', {});
    expect((await queue.getCounts()).waiting).toBe(1);
    expect((await new Queue('q', { backend: b, events: false }).getCounts()).waiting).toBe(0);
    await queue.close();
    await a.close();
    await b.close();
  });

  it('reads eventHistory from the query and refuses a bad one naming the option', async () => {
    // Loaded by name, the package's built classes are not the source's: compare by code.
    const error = await backendFromUrl('memory:?eventHistory=-1', undefined, load).catch((e) => e);
    expect(error).toMatchObject({ name: MemoryBackendOptionError.name, option: 'eventHistory' });
  });
});
