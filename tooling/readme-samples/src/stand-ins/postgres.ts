import { createMemoryBackend } from '@mq/memory';

/** `createPostgresBackend` as a README sample runs it: on the memory backend. */
export const createPostgresBackend = (_options?: unknown) => createMemoryBackend();
