import { parseArgs } from 'node:util';
import { FaultOptionError } from './errors.js';
import type { LoadSettings } from './harness.js';
import type { TargetPorts } from './targets.js';

/** The suite's command line, resolved. */
export interface SuiteOptions extends TargetPorts {
  scenarios: string[] | undefined;
  backends: string[] | undefined;
  load: LoadSettings;
  verbose: boolean;
}

export const USAGE = `pnpm faults [options]

  --scenario a,b   only these scenarios (worker-kill, server-kill, server-restart,
                   server-kill-everysec, server-down-15s, conn-drop, black-hole,
                   sigterm, idle-in-tx, bad-input)
  --backend a,b    only these backends (memory, redis, postgres)
  --load-ms N      load per scenario, ms (default 8000)
  --rate N         jobs added per second (default 150)
  --lease-ms N     worker lease, ms (default 5000)
  --redis-port N   port of the private redis-server (default 6390)
  --pg-port N      port of the private PostgreSQL cluster (default 5440)
  --verbose        show the children's output`;

const int = (name: string, v: string | undefined, def: number, min: number, max: number) => {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new FaultOptionError(`--${name}`, `expected an integer in ${min}..${max}, got ${v}`);
  return n;
};

const list = (v: string | undefined) =>
  v === undefined ? undefined : v.split(',').filter(Boolean);

/** Parses argv; null for --help. */
export function parseOptions(argv: string[]): SuiteOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string' },
      backend: { type: 'string' },
      'load-ms': { type: 'string' },
      rate: { type: 'string' },
      'lease-ms': { type: 'string' },
      'redis-port': { type: 'string' },
      'pg-port': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const redisPort = int('redis-port', values['redis-port'], 6390, 1024, 65535);
  const pgPort = int('pg-port', values['pg-port'], 5440, 1024, 65535);
  // The shared servers are never touched: refuse their ports outright.
  if (redisPort === 6379) throw new FaultOptionError('--redis-port', 'must not be the shared 6379');
  if (pgPort === 5432) throw new FaultOptionError('--pg-port', 'must not be the shared 5432');
  const leaseMs = int('lease-ms', values['lease-ms'], 5000, 500, 60_000);
  return {
    scenarios: list(values.scenario),
    backends: list(values.backend),
    redisPort,
    pgPort,
    verbose: values.verbose ?? false,
    load: {
      workers: 3,
      concurrency: 8,
      jobMs: 30,
      leaseMs,
      stalledIntervalMs: 1000,
      perSecond: int('rate', values.rate, 150, 1, 2000),
      loadMs: int('load-ms', values['load-ms'], 8000, 2000, 120_000),
      drainTimeoutMs: leaseMs * 3 + 15_000,
    },
  };
}
