import { createPostgresBackend, Queue, Worker } from 'bullmq';
import { packageVersion } from '../harness/versions.js';
import { POSTGRES_URL } from '../services.js';
import { type BullParts, BullSystem } from './bullmq.js';
import { dropSchema, pgServerInfo, schemaName } from './pg-namespace.js';
import type { SystemFactory } from './system.js';

/** Pool size BullMQ's docs ask for: enough connections for the worker's concurrency. */
function poolFor(concurrency: number): number {
  return Math.max(10, concurrency);
}

/** BullMQ with its PostgreSQL backend, in a fresh schema per run. */
export function bullmqPostgres(url = POSTGRES_URL): SystemFactory {
  return {
    id: 'bullmq',
    label: `bullmq ${packageVersion('bullmq')} (pg)`,
    ours: false,
    notes:
      'bullmq (postgres): `createPostgresBackend` with `connection: { connectionString, ' +
      'schema, migrate: true, max }`, as its PostgreSQL guide shows; Worker `concurrency` = ' +
      'c and pool `max` = max(10, c) (the guide: size the pool for the concurrency); ' +
      'defaults otherwise (events on, completed jobs kept).',
    check: async () =>
      (await pgServerInfo(url)) === null ? `postgres at ${url} does not answer` : null,
    create: (runId) => {
      const schema = schemaName('bull', runId);
      const connection = (max: number) => ({ connectionString: url, schema, migrate: true, max });
      const parts: BullParts = {
        queue: (name) => new Queue(name, { connection: connection(10) }, createPostgresBackend),
        worker: (name, processor, concurrency) =>
          new Worker(
            name,
            processor,
            { connection: connection(poolFor(concurrency)), concurrency, autorun: false },
            createPostgresBackend,
          ),
        cleanup: () => dropSchema(url, schema),
      };
      return new BullSystem(parts, runId);
    },
  };
}
