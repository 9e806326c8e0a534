import { runConformance } from '@mq/conformance';
import { describe, it } from 'vitest';
import { createMongoBackend } from '../src/index.js';
import { ferretSvc, javaSvc, TEST_POLL, uniquePrefix } from './helpers.js';

// The backend polls (no change streams on these servers): `tickMs` is its slowest poll
// interval, so the suite's wake-up bounds allow for it.
const timing = { tickMs: TEST_POLL.max } as const;

// mongo-java-server: every collection operation is synchronized, so single-document
// updates are atomic — the whole suite runs, no concern skipped.
if (javaSvc.skip === undefined) {
  const url = javaSvc.url;
  // One prefix for the run: cross-process tests need backends on one store.
  const prefix = uniquePrefix('conf');
  runConformance({
    name: 'mongo (mongo-java-server)',
    createBackend: () => createMongoBackend({ url, dbName: 'mq_test', prefix, pollMs: TEST_POLL }),
    timing,
  });
} else {
  describe('mongo conformance (mongo-java-server)', () => {
    it.skip(`skipped: ${javaSvc.skip}`, () => {});
  });
}

// FerretDB: durable, but conditional updates read and write in separate steps. The
// backend detects it at connect and declares distributedLocks/distributedSchedules
// false there, which gates the cross-process lock and schedule tests.
if (ferretSvc.skip === undefined) {
  const url = ferretSvc.url;
  const prefix = uniquePrefix('conf');
  runConformance({
    name: 'mongo (FerretDB)',
    createBackend: () => createMongoBackend({ url, dbName: 'mq_test', prefix, pollMs: TEST_POLL }),
    timing,
  });
} else {
  describe('mongo conformance (FerretDB)', () => {
    it.skip(`skipped: ${ferretSvc.skip}`, () => {});
  });
}
