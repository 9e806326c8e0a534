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

// FerretDB: durable, but an update reads and writes the document in separate steps.
// The backend detects it at connect (buildInfo) and declares `atomicUpdates`,
// `distributedLocks` and `distributedSchedules` false there: the suite skips the tests
// that race writers on one record and the cross-process lock and schedule tests.
if (ferretSvc.skip === undefined) {
  const url = ferretSvc.url;
  const prefix = uniquePrefix('conf');
  runConformance({
    name: 'mongo (FerretDB)',
    createBackend: () => createMongoBackend({ url, dbName: 'mq_test', prefix, pollMs: TEST_POLL }),
    timing,
    // 'resilience' includes "a worker draining a busy queue lets timers run", which needs
    // the queue's first jobs claimed within 1.5 s of adding thousands: FerretDB 1.24
    // (SQLite) evaluates these filters and sorts by scanning the collection (measured
    // here: 213 ms per claim query at 3,000 jobs), so no claim lands in time. The
    // concern runs in full on mongo-java-server.
    skip: ['resilience'],
  });
} else {
  describe('mongo conformance (FerretDB)', () => {
    it.skip(`skipped: ${ferretSvc.skip}`, () => {});
  });
}
