import type { Backend } from '@mq/core';
import type { CliArgs } from './cli-args.js';
import { SchedulerConfigError } from './errors.js';

type Factory = (options: Record<string, unknown>) => Backend;

// Backends are optional peers: the scheduler imports only the one it is told to use.
async function importFactory(pkg: string, exportName: string): Promise<Factory> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (cause) {
    throw new SchedulerConfigError(`Cannot load ${pkg}: install it beside @mq/scheduler`, {
      cause,
    });
  }
  const factory = mod[exportName];
  if (typeof factory !== 'function')
    throw new SchedulerConfigError(`${pkg} does not export ${exportName}`);
  return factory as Factory;
}

/** Creates the backend named on the command line. */
export async function loadBackend(args: CliArgs): Promise<Backend> {
  if (args.backend === 'redis') {
    const create = await importFactory('@mq/redis', 'createRedisBackend');
    return create({ url: args.url, ...(args.prefix ? { prefix: args.prefix } : {}) });
  }
  const create = await importFactory('@mq/postgres', 'createPostgresBackend');
  return create({ connectionString: args.url, ...(args.schema ? { schema: args.schema } : {}) });
}
