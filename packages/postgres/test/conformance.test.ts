import { runConformance } from '@mq/conformance';
import { afterAll, describe, it } from 'vitest';
import { createPostgresBackend, migrate } from '../src/index.js';
import { dropSchema, svc, uniqueSchema } from './helpers.js';

// One schema for the whole run: the suite's backends must share a store (cross-process
// tests use two of them); it picks unique queue names itself. Nothing is skipped.
const schema = uniqueSchema('conf');

if (svc.skip === undefined) {
  const url = svc.url;
  let migrated: Promise<unknown> | undefined;
  runConformance({
    name: 'postgres',
    createBackend: async () => {
      migrated ??= migrate({ connectionString: url, schema });
      await migrated;
      return createPostgresBackend({ connectionString: url, schema });
    },
  });
  afterAll(() => dropSchema(schema));
} else {
  describe('postgres conformance', () => {
    it.skip(`skipped: ${svc.skip}`, () => {});
  });
}
