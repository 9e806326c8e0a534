import { createMemoryBackend } from '@mq/memory';

/** `createMongoBackend` as a README sample runs it: on the memory backend. */
export const createMongoBackend = (_options?: unknown) => createMemoryBackend();
