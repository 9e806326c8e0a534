import { parseArgs } from 'node:util';
import { DemoUsageError } from './errors.js';

/** Default total run time of the demo, in seconds. */
export const DEFAULT_DURATION_S = 12;

/** Longest run the CLI accepts, in seconds: the demo is meant to end by itself. */
export const MAX_DURATION_S = 600;

/** What the command line asked for. */
export type DemoArgs =
  | { help: true }
  | { help: false; durationMs: number; backend: string; dashboardPort: number | null };

/** Default port of the demo's dashboard. */
export const DEFAULT_DASHBOARD_PORT = 7070;

/** Default backend URL: the embedded in-memory backend. */
export const DEFAULT_BACKEND_URL = 'memory:';

/** The `--help` text. */
export const USAGE = `Usage: pnpm demo [--duration <seconds>] [--backend <url>]

Runs producers and workers on two queues (emails, webhooks), by default on the in-memory
backend, shows them live, and prints a summary when every job has settled.

  --duration <s>  total run time, about 70% of it producing (default ${DEFAULT_DURATION_S},
                  env MQ_DEMO_DURATION; 1 to ${MAX_DURATION_S})
  --backend <url> the backend (default ${DEFAULT_BACKEND_URL}, env MQ_URL), e.g.
                  redis://127.0.0.1:6379 once @mq/redis is installed
  --port <n>      dashboard port on 127.0.0.1 (default ${DEFAULT_DASHBOARD_PORT}, env
                  MQ_DEMO_PORT; 0 picks a free one); the dashboard stays up after
                  the run on a terminal, until Ctrl-C
  --no-dashboard  run without the dashboard
  --help          this text
`;

/**
 * Parses `argv` (without node and the script) and `env`. `--duration` wins over
 * `MQ_DEMO_DURATION`; the default is 12 s. `--backend` wins over `MQ_URL`; the default is
 * `memory:`. Throws `DemoUsageError` on bad input.
 */
export function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv): DemoArgs {
  let values: {
    duration?: string | undefined;
    backend?: string | undefined;
    port?: string | undefined;
    'no-dashboard'?: boolean | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        backend: { type: 'string' },
        port: { type: 'string' },
        'no-dashboard': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new DemoUsageError((err as Error).message, { cause: err });
  }
  if (values.help) return { help: true };
  const backend = values.backend || env.MQ_URL || DEFAULT_BACKEND_URL;
  const dashboardPort = values['no-dashboard'] ? null : portOf(values.port ?? env.MQ_DEMO_PORT);
  const raw = values.duration ?? env.MQ_DEMO_DURATION;
  if (raw === undefined || raw === '') {
    return { help: false, durationMs: DEFAULT_DURATION_S * 1000, backend, dashboardPort };
  }
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_DURATION_S) {
    throw new DemoUsageError(
      `--duration must be a number of seconds from 1 to ${MAX_DURATION_S}, got "${raw}"`,
    );
  }
  return { help: false, durationMs: Math.round(seconds * 1000), backend, dashboardPort };
}

function portOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_DASHBOARD_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new DemoUsageError(`--port must be an integer from 0 to 65535, got "${raw}"`);
  return port;
}
