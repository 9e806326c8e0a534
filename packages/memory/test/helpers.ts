import type { Backend } from '@mq/core';
import { createMemoryBackend } from '../src/index.js';

/** A manual clock: tests move time instead of sleeping. */
export class TestClock {
  constructor(public t = 1_700_000_000_000) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A backend on a manual clock. */
export function clocked(eventHistory?: number): { backend: Backend; clock: TestClock } {
  const clock = new TestClock();
  return { backend: createMemoryBackend({ now: clock.now, eventHistory }), clock };
}

// The shorthands every backend's tests share, under the names these tests use.
export {
  addTasks as addAll,
  completeLease as complete,
  failLease as fail,
  leaseJobs as lease,
  leaseOneJob as leaseOne,
  reserveAllInOrder as drainOrder,
  settlesWithin,
  taskJob as job,
} from '@mq/conformance';
