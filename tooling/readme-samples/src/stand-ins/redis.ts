import { createMemoryBackend } from '@mq/memory';

/** `createRedisBackend` as a README sample runs it: on the memory backend. */
export const createRedisBackend = (_options?: unknown) => createMemoryBackend();
