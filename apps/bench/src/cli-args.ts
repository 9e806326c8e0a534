import { BenchUsageError } from './errors.js';

/** Suites the command line can select. */
export const SUITES = ['memory', 'redis', 'postgres', 'scale', 'rabbit'] as const;
export type SuiteName = (typeof SUITES)[number];

/** Parsed command line. */
export interface BenchArgs {
  suites: SuiteName[];
  /** Measurements per cell. Default 3. */
  runs: number;
  /** Jobs per scenario; undefined = each suite's default (20,000; memory 200,000). */
  jobs: number | undefined;
  /** Drain concurrencies. Default 1, 10, 100. */
  concurrency: number[];
  /** Add-to-start latency samples. Default 200. */
  samples: number;
  /** Bound of one measurement in seconds. Default 120 (scale: 30 minutes). */
  timeoutSec: number;
  /** Only these system ids (e.g. `mq,bullmq`); empty = all. */
  systems: string[];
  help: boolean;
}

/** Usage text for --help. */
export const USAGE = `Usage: node apps/bench/dist/main.js [suite...] [options]

Suites: memory, redis, postgres (default: all three), scale (postgres, 1M waiting),
        rabbit (@mq/rabbit with redis and postgres stores vs those alone vs raw amqplib)
Options:
  --runs N            measurements per cell, medians of these (default 3)
  --jobs N            jobs per scenario (default 20000; memory suite 200000)
  --concurrency LIST  drain concurrencies, comma separated (default 1,10,100)
  --samples N         add-to-start latency samples (default 200)
  --timeout S         bound of one measurement in seconds (default 120)
  --systems LIST      only these system ids: mq, mq-memory, bullmq, pg-boss, graphile,
                      mq-rabbit-redis, mq-rabbit-postgres, amqplib
  --scale             also run the scale suite (with postgres)
Servers: MQ_REDIS_URL (default redis://127.0.0.1:6379),
         MQ_POSTGRES_URL (default postgres://mq:mq@127.0.0.1:5432/mq_test)`;

/** Parses `argv` (without node and the script). Throws {@link BenchUsageError}. */
export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = {
    suites: [],
    runs: 3,
    jobs: undefined,
    concurrency: [1, 10, 100],
    samples: 200,
    timeoutSec: 120,
    systems: [],
    help: false,
  };
  let scale = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new BenchUsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--runs':
        out.runs = positiveInt(a, value());
        break;
      case '--jobs':
        out.jobs = positiveInt(a, value());
        break;
      case '--concurrency':
        out.concurrency = value()
          .split(',')
          .map((v) => positiveInt(a, v));
        break;
      case '--samples':
        out.samples = positiveInt(a, value());
        break;
      case '--timeout':
        out.timeoutSec = positiveInt(a, value());
        break;
      case '--systems':
        out.systems = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--scale':
        scale = true;
        break;
      default:
        if (!(SUITES as readonly string[]).includes(a)) {
          throw new BenchUsageError(`Unknown argument "${a}"`);
        }
        if (!out.suites.includes(a as SuiteName)) out.suites.push(a as SuiteName);
    }
  }
  if (out.suites.length === 0) out.suites = ['memory', 'redis', 'postgres'];
  if (scale && !out.suites.includes('scale')) out.suites.push('scale');
  return out;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new BenchUsageError(`${flag} expects a positive integer, got "${v}"`);
  }
  return n;
}
