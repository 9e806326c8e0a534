/**
 * MongoDB backend for @mq: single-document atomic claims and settles, unique indexes for
 * job ids and deduplication, locks as lease documents, schedules that fire once per tick
 * across processes, adaptive polling without change streams.
 *
 * ```ts
 * import { createMongoBackend } from '@mq/mongo';
 * const backend = createMongoBackend({ url: 'mongodb://127.0.0.1:27017/app' });
 * ```
 */
export { createMongoBackend, type MongoBackend } from './backend.js';
export { FERRETDB_CAPABILITIES, MONGO_CAPABILITIES } from './capabilities.js';
export type { ServerInfo } from './connection.js';
export {
  InvalidMongoOptionsError,
  MongoBackendClosedError,
  MongoBackendError,
  UnsupportedMongoServerError,
} from './errors.js';
export { fromUrl } from './from-url.js';
export type { MongoBackendOptions } from './options.js';
