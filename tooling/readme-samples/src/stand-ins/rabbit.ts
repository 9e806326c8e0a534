import { createMemoryBackend } from '@mq/memory';

/** `createRabbitBackend` as a README sample runs it: on the memory backend. */
export const createRabbitBackend = (_options?: unknown) => createMemoryBackend();
