import { runConnectionFaults } from '@mq/conformance/connection-faults';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresBackend, migrate } from '../src/index.js';
import { dropSchema, svc, uniqueSchema } from './helpers.js';

const schema = uniqueSchema('hang');

if (svc.skip === undefined) {
  const direct = svc.url as string;
  const url = new URL(direct);
  beforeAll(() => migrate({ connectionString: direct, schema }));
  runConnectionFaults({
    name: 'postgres',
    target: { host: url.hostname, port: Number(url.port || 5432) },
    createBackend: (port) => {
      const proxied = new URL(direct);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return createPostgresBackend({
        connectionString: proxied.toString(),
        schema,
        queryTimeoutMs: 1500,
      });
    },
    createDirectBackend: () => createPostgresBackend({ connectionString: direct, schema }),
  });
  afterAll(() => dropSchema(schema));
} else {
  describe('postgres connection faults', () => {
    it.skip(`skipped: ${svc.skip}`, () => {});
  });
}
