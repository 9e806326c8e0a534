import type { BenchSystem, SystemFactory } from '../systems/system.js';

/** What a figure is measured in. */
export type Unit = 'jobs/s' | 'ms' | 'µs/job';

/** One figure a scenario reports. */
export interface Metric {
  id: string;
  /** Row label, e.g. `drain 20,000, c=10`. */
  label: string;
  unit: Unit;
  better: 'higher' | 'lower';
}

/** A measurement run on every system of a suite, several times. */
export interface Scenario {
  id: string;
  metrics: Metric[];
  /** Bound of one measurement (setup and teardown have their own). */
  timeoutMs: number;
  /** Measures once on a fresh, set-up system; one value per metric id. */
  run(system: BenchSystem): Promise<Record<string, number>>;
}

/** A set of systems and scenarios printed as one table. */
export interface Suite {
  /** File-name friendly, e.g. `redis`. */
  name: string;
  title: string;
  systems: SystemFactory[];
  scenarios: Scenario[];
  /** Server lines for the header, e.g. `redis 7.0.15 at redis://…`. */
  servers: () => Promise<string[]>;
  /** Extra notes printed under the table (scenario definitions). */
  notes: string[];
}
