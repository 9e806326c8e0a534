/**
 * Module hooks for running samples: `@mq/redis`, `@mq/postgres`, `@mq/mongo` and
 * `@mq/rabbit` resolve to modules
 * whose factories return a memory backend, so a sample written for a server runs here as
 * written. Type-checking uses the real packages, so their APIs are checked for real.
 */
import type { ResolveHook } from 'node:module';

const STAND_INS: Record<string, string> = {
  '@mq/redis': new URL('./stand-ins/redis.ts', import.meta.url).href,
  '@mq/postgres': new URL('./stand-ins/postgres.ts', import.meta.url).href,
  '@mq/mongo': new URL('./stand-ins/mongo.ts', import.meta.url).href,
  '@mq/rabbit': new URL('./stand-ins/rabbit.ts', import.meta.url).href,
};

/** The resolve hook `register()` installs. */
export const resolve: ResolveHook = (specifier, context, next) => {
  const url = STAND_INS[specifier];
  return url === undefined ? next(specifier, context) : { url, shortCircuit: true };
};
