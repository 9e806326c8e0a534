import type { Backend, JobStore } from '@mq/core';
import { runConformance } from '@mq/conformance';
import { createMemoryBackend } from '../src/index.js';

/**
 * A job store that delivers through its own code and keeps everything else in another
 * backend's store — the shape of the RabbitMQ backend (broker delivery + any store).
 * It holds the inner store by reference and calls it as `inner.method(...)`: spreading
 * a class instance (`{ ...inner }`) would copy its own fields and drop the methods of
 * its prototype.
 */
class DeliveryStore implements JobStore {
  readonly minSettleBatch: number | undefined;
  /** Calls that went through this layer, so the test proves it was used. */
  calls = 0;

  constructor(private readonly inner: JobStore) {
    this.minSettleBatch = inner.minSettleBatch;
  }

  add: JobStore['add'] = (queue, jobs) => this.through(() => this.inner.add(queue, jobs));
  reserve: JobStore['reserve'] = (queue, req) => this.through(() => this.inner.reserve(queue, req));
  waitForWork: JobStore['waitForWork'] = (queue, req) => this.inner.waitForWork(queue, req);
  extend: JobStore['extend'] = (queue, leases, ms) =>
    this.through(() => this.inner.extend(queue, leases, ms));
  settle: JobStore['settle'] = (queue, outcomes, next) =>
    this.through(() => this.inner.settle(queue, outcomes, next));
  recoverExpired: JobStore['recoverExpired'] = (queue, req) =>
    this.through(() => this.inner.recoverExpired(queue, req));

  private through<T>(call: () => Promise<T>): Promise<T> {
    this.calls++;
    return call();
  }
}

/** A backend composed from another one's role objects, by reference. */
function composed(store: Backend): Backend {
  return {
    name: 'memory-composed',
    capabilities: store.capabilities,
    jobs: new DeliveryStore(store.jobs),
    admin: store.admin,
    schedules: store.schedules,
    locks: store.locks,
    workers: store.workers,
    events: store.events,
    ready: () => store.ready(),
    close: () => store.close(),
  };
}

// The whole suite, nothing skipped: composition by reference must lose nothing.
runConformance({
  name: 'memory composed by reference',
  createBackend: () => composed(createMemoryBackend()),
});
