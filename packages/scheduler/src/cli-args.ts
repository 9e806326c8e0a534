import { parseArgs } from 'node:util';
import { SchedulerConfigError } from './errors.js';

/** Usage of the `mq-scheduler` command. */
export const USAGE = `Usage: mq-scheduler --backend redis|postgres --queues a,b [options]

  --backend <name>          redis (needs @mq/redis) or postgres (needs @mq/postgres)
  --url <url>               server URL; default MQ_REDIS_URL / MQ_POSTGRES_URL
  --prefix <prefix>         Redis key prefix (default mq)
  --schema <schema>         PostgreSQL schema (default mq)
  --queues <a,b>            queues to serve (required)
  --scan-interval <ms>      re-read schedules this often (default 1000)
  --missed-ticks <policy>   skip (default) or catch-up
  --stalled-interval <ms>   stalled recovery period (default 5000); 0 disables
  --max-stalls <n>          stalls a job survives before failing (default 1)
  --retention-interval <ms> retention sweep period (default 60000); 0 disables
`;

/** Parsed command line of `mq-scheduler`. */
export interface CliArgs {
  backend: 'redis' | 'postgres';
  url: string;
  prefix?: string;
  schema?: string;
  queues: string[];
  scanIntervalMs?: number;
  missedTicks?: 'skip' | 'catch-up';
  stalledIntervalMs?: number;
  maxStalls?: number;
  retentionIntervalMs?: number;
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new SchedulerConfigError(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Parses argv (without node and script); throws `SchedulerConfigError` on bad input. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      url: { type: 'string' },
      prefix: { type: 'string' },
      schema: { type: 'string' },
      queues: { type: 'string' },
      'scan-interval': { type: 'string' },
      'missed-ticks': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'max-stalls': { type: 'string' },
      'retention-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const backend = values.backend;
  if (backend !== 'redis' && backend !== 'postgres') {
    throw new SchedulerConfigError(`--backend must be redis or postgres, got "${backend ?? ''}"`);
  }
  const url = values.url ?? (backend === 'redis' ? env.MQ_REDIS_URL : env.MQ_POSTGRES_URL);
  if (!url)
    throw new SchedulerConfigError(
      `--url is required (or set ${backend === 'redis' ? 'MQ_REDIS_URL' : 'MQ_POSTGRES_URL'})`,
    );
  const queues = (values.queues ?? '').split(',').filter(Boolean);
  if (queues.length === 0)
    throw new SchedulerConfigError('--queues is required (comma-separated queue names)');
  const missed = values['missed-ticks'];
  if (missed !== undefined && missed !== 'skip' && missed !== 'catch-up') {
    throw new SchedulerConfigError(`--missed-ticks must be skip or catch-up, got "${missed}"`);
  }
  const args: CliArgs = { backend, url, queues };
  if (values.prefix) args.prefix = values.prefix;
  if (values.schema) args.schema = values.schema;
  if (missed) args.missedTicks = missed;
  const scan = int('scan-interval', values['scan-interval']);
  if (scan !== undefined) args.scanIntervalMs = scan;
  const stalled = int('stalled-interval', values['stalled-interval']);
  if (stalled !== undefined) args.stalledIntervalMs = stalled;
  const maxStalls = int('max-stalls', values['max-stalls']);
  if (maxStalls !== undefined) args.maxStalls = maxStalls;
  const retention = int('retention-interval', values['retention-interval']);
  if (retention !== undefined) args.retentionIntervalMs = retention;
  return args;
}
