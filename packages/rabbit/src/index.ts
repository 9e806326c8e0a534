/**
 * RabbitMQ backend for @mq: RabbitMQ (amqplib) delivers, any other @mq backend — the
 * store, used by reference — keeps every job's state. See the README for the topology,
 * the crash windows between broker and store and how each one is closed.
 */
export { createRabbitBackend, type RabbitBackend } from './backend.js';
export { rabbitCapabilities } from './capabilities.js';
export {
  RabbitBackendClosedError,
  RabbitBackendOptionError,
  RabbitConnectionError,
  RabbitPublishError,
  RabbitQueueNameError,
} from './errors.js';
export { fromUrl, type RabbitUrlOptions } from './from-url.js';
export {
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_PREFIX,
  DEFAULT_SWEEP_INTERVAL_MS,
  type QueueKind,
  type RabbitBackendOptions,
} from './options.js';
export { CLASSIC_MAX_PRIORITY, type QueueTopology } from './topology.js';
