import { type Backend, backendFromUrl } from '@mq/core';

/** What the orchestrator passes a worker process (JSON in argv[2]). */
export interface WorkerConfig {
  url: string;
  queue: string;
  ledgerDir: string;
  concurrency: number;
  /** How long each execution sleeps, in ms. */
  jobMs: number;
  leaseMs: number;
  stalledIntervalMs: number;
}

/** What the orchestrator passes a producer process (JSON in argv[2]). */
export interface ProducerConfig {
  url: string;
  queue: string;
  ledgerDir: string;
  /** Job ids are `<idPrefix>-<n>`, n from 0. */
  idPrefix: string;
  total: number;
  perSecond: number;
  /** Pause before retrying a failed add (same jobId), in ms. */
  retryMs: number;
}

/** The config in argv[2]. */
export function readConfig<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new TypeError('expected the config as JSON in argv[2]');
  return JSON.parse(raw) as T;
}

/** The backend a URL names, with the backend packages resolved from this package. */
export function openBackend(url: string): Promise<Backend> {
  return backendFromUrl(url, undefined, (s) => import(s));
}

/**
 * Exits when the orchestrator goes away (its IPC channel closes), so no child outlives a
 * killed suite.
 */
export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(3));
}
