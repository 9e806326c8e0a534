import { type Backend, backendFromUrl, type ModuleLoader } from '@mq/core';
import { takeUrlParams } from '@mq/core/backend-kit';
import { createRabbitBackend, type RabbitBackend } from './backend.js';
import { RabbitBackendOptionError } from './errors.js';
import type { RabbitBackendOptions } from './options.js';

/** Options of {@link fromUrl}: those of `createRabbitBackend`, all optional, plus a module loader. */
export type RabbitUrlOptions = Partial<RabbitBackendOptions> & {
  /** How `?store=` is imported (see `backendFromUrl`). Default: core's loader. */
  load?: ModuleLoader;
};

/**
 * The backend for `amqp://` and `amqps://` URLs (what `backendFromUrl` calls). The store
 * is `options.store`, else `?store=<url-encoded backend URL>` (resolved with
 * `backendFromUrl` and closed with this backend). `?prefix=` sets the queue-name prefix.
 * The rest of the URL goes to amqplib. `options` win over the URL.
 *
 * @example
 * await backendFromUrl(`amqp://mq:mq@localhost?store=${encodeURIComponent('redis://localhost')}`);
 *
 * @throws RabbitBackendOptionError when there is no store, or it names another amqp backend.
 */
export async function fromUrl(url: string, options: RabbitUrlOptions = {}): Promise<RabbitBackend> {
  const { url: rest, params } = takeUrlParams(url, ['store', 'prefix']);
  const { load, ...opts } = options;
  let store: Backend | undefined = opts.store;
  let ownsStore = opts.ownsStore ?? false;
  if (store === undefined) {
    if (params.store === undefined) {
      throw new RabbitBackendOptionError(
        'store',
        'no store given: pass options.store or add ?store=<url-encoded backend URL>, e.g. ?store=redis%3A%2F%2Flocalhost',
      );
    }
    if (/^amqps?:/i.test(params.store)) {
      throw new RabbitBackendOptionError('store', 'the store must be another backend, not amqp');
    }
    store = await backendFromUrl(params.store, undefined, load);
    ownsStore = opts.ownsStore ?? true;
  }
  return createRabbitBackend({
    ...(params.prefix === undefined ? {} : { prefix: params.prefix }),
    ...opts,
    url: opts.url ?? rest,
    store,
    ownsStore,
  });
}
