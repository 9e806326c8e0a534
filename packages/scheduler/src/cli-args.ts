import { parseArgs } from 'node:util';
import { backendPackageFor } from '@mq/core';
import { SchedulerConfigError } from './errors.js';
import type { SchedulerSettings } from './options.js';

/** Usage of the `mq-scheduler` command: one flag per `Scheduler` option. */
export const USAGE = `Usage: mq-scheduler --backend <url> --queues a,b [options]

  --backend <url>                the backend, by URL (default: the MQ_URL variable), e.g.
                                 redis://127.0.0.1:6379?prefix=mq (needs @mq/redis) or
                                 postgres://user@host/app?schema=mq (needs @mq/postgres)
  --queues <a,b>                 queues to serve (required)
  --id <id>                      scheduler id in the worker registry
                                 (default scheduler:<host>:<pid>:<random>)
  --scan-interval <ms>           re-read schedules this often (default 1000; 1..3600000)
  --missed-ticks <policy>        skip (default) or catch-up
  --missed-tick-tolerance <ms>   a tick later than this is missed (default 1000)
  --stalled-interval <ms>        stalled recovery period (default 5000); 0 disables
  --max-stalls <n>               stalls a job survives before failing (default 1; 0..1000)
  --retention-interval <ms>      retention sweep period (default 60000); 0 disables.
                                 The sweep applies each job's own removeOnComplete /
                                 removeOnFail: it has no ages of its own
  --retention-batch <n>          jobs per retention page (default 1000; 1..100000)
  --heartbeat-interval <ms>      registry heartbeat period (default 10000; at least 10)
  -h, --help                     this text
`;

/** Parsed command line of `mq-scheduler`. */
export interface CliArgs {
  /** The backend URL, as `backendFromUrl` takes it. */
  backend: string;
  queues: string[];
  id?: string;
  scanIntervalMs?: number;
  missedTicks?: 'skip' | 'catch-up';
  missedTickToleranceMs?: number;
  /** 0 disables stalled recovery. */
  stalledIntervalMs?: number;
  maxStalls?: number;
  /** 0 disables the retention sweep. */
  retentionIntervalMs?: number;
  retentionBatch?: number;
  heartbeatIntervalMs?: number;
}

const QUEUE_NAME = /^[A-Za-z0-9._:-]{1,128}$/;

/** An integer flag within [min, max]; the error names the flag and the rule. */
function int(name: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new SchedulerConfigError(`--${name} must be an integer ${range}, got "${v}"`, {
      flag: `--${name}`,
    });
  }
  return n;
}

/** Parses argv (without node and script); throws `SchedulerConfigError` on bad input. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliArgs | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        backend: { type: 'string' },
        queues: { type: 'string' },
        id: { type: 'string' },
        'scan-interval': { type: 'string' },
        'missed-ticks': { type: 'string' },
        'missed-tick-tolerance': { type: 'string' },
        'stalled-interval': { type: 'string' },
        'max-stalls': { type: 'string' },
        'retention-interval': { type: 'string' },
        'retention-batch': { type: 'string' },
        'heartbeat-interval': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (cause) {
    // Unknown flags, missing or ambiguous values: node's message names the flag.
    const message = (cause as Error).message;
    const flag = /--[a-z][a-z-]*/.exec(message)?.[0];
    throw new SchedulerConfigError(message, flag === undefined ? { cause } : { cause, flag });
  }
  const str = (k: string) => values[k] as string | undefined;
  if (values.help) return 'help';
  const backend = str('backend') ?? env.MQ_URL;
  if (!backend)
    throw new SchedulerConfigError('--backend <url> is required (or set MQ_URL)', {
      flag: '--backend',
    });
  try {
    backendPackageFor(backend);
  } catch (cause) {
    throw new SchedulerConfigError(`--backend: ${(cause as Error).message}`, {
      cause,
      flag: '--backend',
    });
  }
  const queues = (str('queues') ?? '').split(',').filter(Boolean);
  if (queues.length === 0)
    throw new SchedulerConfigError('--queues is required (comma-separated queue names)', {
      flag: '--queues',
    });
  const badQueue = queues.find((q) => !QUEUE_NAME.test(q));
  if (badQueue !== undefined)
    throw new SchedulerConfigError(
      `--queues: "${badQueue}" is not a queue name (1 to 128 of A-Z a-z 0-9 . _ : -)`,
      { flag: '--queues' },
    );
  const missed = str('missed-ticks');
  if (missed !== undefined && missed !== 'skip' && missed !== 'catch-up') {
    throw new SchedulerConfigError(`--missed-ticks must be skip or catch-up, got "${missed}"`, {
      flag: '--missed-ticks',
    });
  }
  const id = str('id');
  if (id !== undefined && (id.length < 1 || id.length > 256))
    throw new SchedulerConfigError(`--id must be 1 to 256 characters, got ${id.length}`, {
      flag: '--id',
    });
  const args: CliArgs = { backend, queues };
  if (id !== undefined) args.id = id;
  if (missed) args.missedTicks = missed;
  const numbers: [keyof CliArgs, string, number, number?][] = [
    ['scanIntervalMs', 'scan-interval', 1, 3_600_000],
    ['missedTickToleranceMs', 'missed-tick-tolerance', 0],
    ['stalledIntervalMs', 'stalled-interval', 0],
    ['maxStalls', 'max-stalls', 0, 1000],
    ['retentionIntervalMs', 'retention-interval', 0],
    ['retentionBatch', 'retention-batch', 1, 100_000],
    ['heartbeatIntervalMs', 'heartbeat-interval', 10],
  ];
  for (const [key, flag, min, max] of numbers) {
    const n = int(flag, str(flag), min, max);
    if (n !== undefined) (args as unknown as Record<string, unknown>)[key] = n;
  }
  return args;
}

/**
 * The `Scheduler` options (without the backend) a parsed command line asks for; flags
 * left out keep the Scheduler's defaults.
 */
export function schedulerSettings(args: CliArgs): SchedulerSettings {
  const s: SchedulerSettings = { queues: args.queues };
  if (args.id !== undefined) s.id = args.id;
  if (args.scanIntervalMs !== undefined) s.scanIntervalMs = args.scanIntervalMs;
  if (args.missedTicks !== undefined) s.missedTicks = args.missedTicks;
  if (args.missedTickToleranceMs !== undefined)
    s.missedTickToleranceMs = args.missedTickToleranceMs;
  if (args.heartbeatIntervalMs !== undefined) s.heartbeatIntervalMs = args.heartbeatIntervalMs;
  if (args.stalledIntervalMs === 0) s.stalled = false;
  else if (args.stalledIntervalMs !== undefined || args.maxStalls !== undefined) {
    s.stalled = {};
    if (args.stalledIntervalMs !== undefined) s.stalled.intervalMs = args.stalledIntervalMs;
    if (args.maxStalls !== undefined) s.stalled.maxStalls = args.maxStalls;
  }
  if (args.retentionIntervalMs === 0) s.retention = false;
  else if (args.retentionIntervalMs !== undefined || args.retentionBatch !== undefined) {
    s.retention = {};
    if (args.retentionIntervalMs !== undefined) s.retention.intervalMs = args.retentionIntervalMs;
    if (args.retentionBatch !== undefined) s.retention.batch = args.retentionBatch;
  }
  return s;
}
