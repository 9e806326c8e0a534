import type { Backend } from '@mq/core';
import type { Child, Children } from '../children.js';
import type { LoadSettings } from '../harness.js';
import type { Fault } from '../metrics.js';
import type { BlackHoleProxy } from '../proxy.js';
import type { FaultTarget } from '../targets.js';

/** What a scenario's fault injection gets while the load runs. */
export interface InjectContext {
  target: FaultTarget;
  children: Children;
  /** Starts one more worker process (a replacement). */
  spawnWorker(): Child;
  /** With `proxied`: each initial worker and the proxy in front of it. */
  proxied: { worker: Child; proxy: BlackHoleProxy }[];
  /** Record each fault here. */
  faults: Fault[];
  /** A backend of the suite's own on the cell's queue, for sampling counts. */
  admin: Backend;
  queue: string;
  /** Figures the scenario measures beyond the table, printed under it. */
  notes: string[];
  /** Inject only until then (ms timestamp): the load stops by itself at about this time. */
  until: number;
}

/** One row of the table. */
export interface Scenario {
  id: string;
  title: string;
  /** Load settings this scenario changes (e.g. longer jobs, so that faults hit running ones). */
  load?: Partial<LoadSettings>;
  /** Each initial worker reaches the server through its own {@link BlackHoleProxy}. */
  proxied?: boolean;
  /** Null when it applies to the target, else why not (shown as n/a). */
  skip(target: FaultTarget): string | null;
  /** The fault(s), injected while the producers run; resolves when done injecting. */
  inject(ctx: InjectContext): Promise<void>;
}

/** A pause of `ms`. */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
