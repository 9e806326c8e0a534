import { Queue } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { describe, expect, it } from 'vitest';
import { createRabbitBackend, fromUrl, RabbitBackendOptionError } from '../src/index.js';
import { amqp, unique, waitFor } from './helpers.js';

// The store package resolves by name from this package, as an application's import would.
const load = (pkg: string) => import(pkg);

describe('rabbit: options and URLs', () => {
  it('refuses bad options naming the option, before connecting', () => {
    const store = createMemoryBackend();
    const bad: [Record<string, unknown>, string][] = [
      [{ url: 'redis://x', store }, 'url'],
      [{ url: 'amqp://x' }, 'store'],
      [{ url: 'amqp://x', store: { name: 'x', jobs: store.jobs } }, 'store'], // roles missing
      [{ url: 'amqp://x', store, prefix: 'a b' }, 'prefix'],
      [{ url: 'amqp://x', store, deliveryLimit: 0 }, 'deliveryLimit'],
      [{ url: 'amqp://x', store, queueType: 'stream' }, 'queueType'],
      [{ url: 'amqp://x', store, prefetch: 1.5 }, 'prefetch'],
      [{ url: 'amqp://x', store, reconnectMinMs: 500, reconnectMaxMs: 100 }, 'reconnectMaxMs'],
    ];
    for (const [opts, option] of bad) {
      const err = (() => {
        try {
          createRabbitBackend(opts as never);
        } catch (e) {
          return e;
        }
      })();
      expect(err, option).toBeInstanceOf(RabbitBackendOptionError);
      expect((err as RabbitBackendOptionError).option).toBe(option);
    }
  });

  it('fromUrl without a store says how to give one', async () => {
    const err = await fromUrl('amqp://mq:mq@127.0.0.1').catch((e) => e);
    expect(err).toBeInstanceOf(RabbitBackendOptionError);
    expect(err.message).toContain('?store=');
    const loop = await fromUrl('amqp://h?store=amqp%3A%2F%2Fh').catch((e) => e);
    expect(loop).toMatchObject({ option: 'store' });
  });

  it.skipIf(amqp.skip !== undefined)(
    'fromUrl resolves ?store= with backendFromUrl and works end to end; ?prefix= names the queues',
    async () => {
      const prefix = unique('url');
      const url = `${amqp.url}?prefix=${prefix}&store=${encodeURIComponent('memory:')}`;
      const b = await fromUrl(url, { load });
      await b.ready();
      expect(b.name).toBe('rabbit+memory');
      expect(b.prefix).toBe(prefix);
      expect(b.topology('q').main).toBe(`${prefix}.q`);
      const q = new Queue('q', { backend: b, events: false });
      const { id } = await q.add('a', null);
      const [lease] = (await b.jobs.reserve('q', { workerId: 'w', max: 1, leaseMs: 5000 })).jobs;
      expect(lease?.job.id).toBe(id);
      await b.jobs.settle('q', [{ jobId: id, token: lease?.token ?? '', kind: 'completed' }]);
      await waitFor(async () => (await q.getJob(id))?.state === 'completed', 2000, 'completed');
      await q.close();
      await b.admin.obliterate('q', true);
      await b.close();
    },
  );
});
