import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '../contract/index.js';
import { BackendNotInstalledError, InvalidBackendUrlError } from './errors.js';
import { redactUrl } from './redact.js';
import { BACKEND_SCHEMES } from './schemes.js';

/**
 * What every backend package exports as `fromUrl`: a backend for a URL of its scheme.
 * Query parameters carry the package's string options (e.g. `?prefix=`); `options` carries
 * the rest (e.g. a RabbitMQ backend's `store`) and wins over the query.
 */
export type BackendUrlFactory = (
  url: string,
  options?: Record<string, unknown>,
) => Backend | Promise<Backend>;

const isNotFound = (error: unknown, pkg: string): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(pkg)
  );
};

/**
 * Loads a module by name. Pass `(s) => import(s)` from your own module when the backend
 * packages are your dependencies but not resolvable from `@mq/core`'s own folder (pnpm's
 * strict layout). Default: {@link importFromCoreOrCwd}.
 */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/**
 * Imports a package as `@mq/core` sees it, else as the application in the working
 * directory sees it: with npm's flat layout the first finds it, with pnpm the second.
 */
export const importFromCoreOrCwd: ModuleLoader = async (specifier) => {
  try {
    return await import(specifier);
  } catch (error) {
    if (!isNotFound(error, specifier)) throw error;
    let resolved: string;
    try {
      resolved = createRequire(join(process.cwd(), 'noop.js')).resolve(specifier);
    } catch {
      throw error;
    }
    return import(pathToFileURL(resolved).href);
  }
};

/**
 * The package that serves a backend URL, e.g. `@mq/redis` for `redis://…`.
 *
 * @throws InvalidBackendUrlError when the text is not a URL or its scheme is unknown.
 */
export function backendPackageFor(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:)/i.exec(url.trim());
  if (match === null)
    throw new InvalidBackendUrlError(
      redactUrl(url),
      'it has no scheme; write e.g. memory:, redis://host:6379 or postgres://user@host/db',
    );
  const scheme = (match[1] ?? '').toLowerCase();
  const pkg = BACKEND_SCHEMES[scheme];
  if (pkg === undefined)
    throw new InvalidBackendUrlError(
      redactUrl(url),
      `unknown scheme ${scheme}; use one of ${Object.keys(BACKEND_SCHEMES).join(' ')}`,
    );
  return pkg;
}

/**
 * Creates the backend a URL names: `memory:`, `redis://` / `rediss://`, `postgres://` /
 * `postgresql://`, `mongodb://` / `mongodb+srv://`, `amqp://` / `amqps://` (with its store
 * as `?store=<url>` or `options.store`). The package is imported only when named, so
 * `@mq/core` depends on no backend. The backend is returned unopened: call `ready()`.
 *
 * ```ts
 * const backend = await backendFromUrl(process.env.MQ_URL ?? 'memory:');
 * ```
 *
 * @throws InvalidBackendUrlError for text that names no backend.
 * @throws BackendNotInstalledError naming the package to install.
 */
export async function backendFromUrl(
  url: string,
  options?: Record<string, unknown>,
  load: ModuleLoader = importFromCoreOrCwd,
): Promise<Backend> {
  const pkg = backendPackageFor(url);
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  let mod: { fromUrl?: unknown };
  try {
    mod = (await load(pkg)) as { fromUrl?: unknown };
  } catch (cause) {
    if (isNotFound(cause, pkg)) throw new BackendNotInstalledError(pkg, scheme, { cause });
    throw cause;
  }
  if (typeof mod.fromUrl !== 'function')
    throw new InvalidBackendUrlError(
      redactUrl(url),
      `${pkg} exports no fromUrl(); upgrade ${pkg} to a version that does`,
    );
  return (mod.fromUrl as BackendUrlFactory)(url.trim(), options);
}
