import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli-args.js';
import { BenchUsageError } from '../src/errors.js';

describe('parseArgs', () => {
  it('defaults to the three suites, 3 runs, c=1,10,100', () => {
    const a = parseArgs([]);
    expect(a.suites).toEqual(['memory', 'redis', 'postgres']);
    expect(a).toMatchObject({ runs: 3, jobs: undefined, concurrency: [1, 10, 100], samples: 200 });
  });

  it('selects suites and reads every option', () => {
    const a = parseArgs([
      'redis',
      '--runs',
      '5',
      '--jobs',
      '1000',
      '--concurrency',
      '2,20',
      '--samples',
      '50',
      '--timeout',
      '30',
      '--systems',
      'mq,bullmq',
    ]);
    expect(a).toMatchObject({
      suites: ['redis'],
      runs: 5,
      jobs: 1000,
      concurrency: [2, 20],
      samples: 50,
      timeoutSec: 30,
      systems: ['mq', 'bullmq'],
    });
  });

  it('adds the scale suite with --scale', () => {
    expect(parseArgs(['postgres', '--scale']).suites).toEqual(['postgres', 'scale']);
  });

  it.each([
    [['--runs', '0']],
    [['--jobs', 'x']],
    [['--concurrency', '1,,3']],
    [['mongo']],
    [['--runs']],
  ])('rejects %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(BenchUsageError);
  });
});
