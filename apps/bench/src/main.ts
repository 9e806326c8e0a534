#!/usr/bin/env node
import os from 'node:os';
import { type BenchArgs, parseArgs, type SuiteName, USAGE } from './cli-args.js';
import { BenchUsageError } from './errors.js';
import { loadAverage, machineLines, versionsLine } from './harness/machine.js';
import { publish } from './harness/report.js';
import type { SuiteResult } from './harness/results.js';
import { runSuite } from './harness/run-suite.js';
import type { Suite } from './harness/scenario.js';
import { MEMORY_JOBS, memorySuite } from './suites/memory.js';
import { postgresSuite, scaleSuite } from './suites/postgres.js';
import { rabbitSuite } from './suites/rabbit.js';
import { redisSuite } from './suites/redis.js';

const DEFAULT_JOBS = 20_000;
const SCALE_TIMEOUT_MS = 30 * 60_000;
const SETUP_TIMEOUT_MS = 60_000;

const PACKAGES: Record<SuiteName, string[]> = {
  memory: ['@mq/core', '@mq/memory'],
  redis: ['@mq/core', '@mq/redis', 'bullmq', 'ioredis'],
  postgres: ['@mq/core', '@mq/postgres', 'bullmq', 'pg-boss', 'graphile-worker', 'pg'],
  scale: ['@mq/core', '@mq/postgres', 'pg'],
  rabbit: ['@mq/core', '@mq/rabbit', '@mq/redis', '@mq/postgres', 'amqplib'],
};

function buildSuite(name: SuiteName, a: BenchArgs): Suite {
  const timeoutMs = a.timeoutSec * 1000;
  const jobs = a.jobs ?? DEFAULT_JOBS;
  switch (name) {
    case 'memory':
      return memorySuite({ jobs: a.jobs ?? MEMORY_JOBS, concurrency: a.concurrency, timeoutMs });
    case 'redis':
      return redisSuite({ jobs, concurrency: a.concurrency, samples: a.samples, timeoutMs });
    case 'postgres':
      return postgresSuite({ jobs, concurrency: a.concurrency, samples: a.samples, timeoutMs });
    case 'rabbit':
      return rabbitSuite({ jobs, concurrency: a.concurrency, samples: a.samples, timeoutMs });
    case 'scale':
      return scaleSuite({ timeoutMs: Math.max(timeoutMs, SCALE_TIMEOUT_MS) });
  }
}

/** Keeps only the systems named by --systems (all when none are). */
function filterSystems(suite: Suite, ids: string[]): Suite {
  if (ids.length === 0) return suite;
  return { ...suite, systems: suite.systems.filter((s) => ids.includes(s.id)) };
}

/** Adds the 1M ÷ 10k comparison the scale target is stated in. */
function scaleVerdict(r: SuiteResult): void {
  const [small, large] = r.rows.map((row) => row.cells[0]);
  if (small?.kind === 'ok' && large?.kind === 'ok') {
    const pct = (large.summary.median / small.summary.median) * 100;
    r.notes.push(
      `Measured: the 1,000,000-waiting median is ${pct.toFixed(1)}% of the 10,000-waiting median.`,
    );
  }
}

function hasFailures(r: SuiteResult): boolean {
  return r.rows.some((row) =>
    row.cells.some((c) => c.kind === 'failed' || (c.kind === 'ok' && c.failedRuns.length > 0)),
  );
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BenchUsageError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const command = `node apps/bench/dist/main.js ${process.argv.slice(2).join(' ')}`.trim();
  let failed = false;
  for (const name of args.suites) {
    const suite = filterSystems(buildSuite(name, args), args.systems);
    const loadAtStart = loadAverage();
    const header = [
      ...machineLines(),
      versionsLine(PACKAGES[name]),
      `Command: \`${command}\` (${args.runs} runs per cell)`,
      `Date: ${new Date().toISOString()}`,
    ];
    const result = await runSuite(suite, {
      runs: args.runs,
      setupTimeoutMs: SETUP_TIMEOUT_MS,
      header,
      log: (line) => console.error(line),
    });
    // Other work on the machine moves the figures: say how busy it was.
    result.header.push(
      `Load average (1/5/15 min): ${loadAtStart} at start, ${loadAverage()} at end, on ${os.availableParallelism()} cores`,
    );
    if (name === 'scale') scaleVerdict(result);
    const file = publish(result);
    console.error(`[${name}] written to ${file} (and .svg)`);
    failed ||= hasFailures(result);
  }
  return failed ? 1 : 0;
}

// Exit explicitly: a peer that failed its time bound may still hold sockets or timers,
// and a benchmark must end when its report is written.
main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
