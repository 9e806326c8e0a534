import type { Backend } from '@mq/core';
import { BackendNotAvailableError } from '../errors.js';

/** Any of our backend factories (every options type accepts `never`). */
type AnyFactory = (options: never) => Backend | Promise<Backend>;

/**
 * Loads the backend factory `exportName` from one of our packages at run time, typed
 * as `F` (`typeof createRedisBackend`, from a type-only import), so the benchmark still
 * runs the peers while one of our packages is not built. Throws
 * {@link BackendNotAvailableError} when the package is not built or lacks the export.
 */
export async function loadFactory<F extends AnyFactory>(
  pkg: string,
  exportName: string,
): Promise<F> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (err) {
    throw new BackendNotAvailableError(pkg, exportName, { cause: err });
  }
  const factory = mod[exportName];
  if (typeof factory !== 'function') throw new BackendNotAvailableError(pkg, exportName);
  return factory as F;
}

/** Null when the factory loads, else the reason it does not (for a skipped column). */
export async function factoryProblem(pkg: string, exportName: string): Promise<string | null> {
  try {
    await loadFactory<AnyFactory>(pkg, exportName);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
