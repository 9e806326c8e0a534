import { parseArgs } from 'node:util';
import { DemoUsageError } from './errors.js';

/** Default total run time of the demo, in seconds. */
export const DEFAULT_DURATION_S = 12;

/** Longest run the CLI accepts, in seconds: the demo is meant to end by itself. */
export const MAX_DURATION_S = 600;

/** What the command line asked for. */
export type DemoArgs = { help: true } | { help: false; durationMs: number; backend: string };

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
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string' },
        backend: { type: 'string' },
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
  const raw = values.duration ?? env.MQ_DEMO_DURATION;
  if (raw === undefined || raw === '') {
    return { help: false, durationMs: DEFAULT_DURATION_S * 1000, backend };
  }
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_DURATION_S) {
    throw new DemoUsageError(
      `--duration must be a number of seconds from 1 to ${MAX_DURATION_S}, got "${raw}"`,
    );
  }
  return { help: false, durationMs: Math.round(seconds * 1000), backend };
}
