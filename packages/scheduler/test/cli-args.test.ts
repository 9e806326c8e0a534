import { MqError } from '@mq/core';
import { describe, expect, it } from 'vitest';
import {
  type CliArgs,
  parseCli,
  SchedulerConfigError,
  SchedulerOptionsSchema,
  schedulerSettings,
} from '../src/index.js';

const BASE = ['--backend', 'redis://127.0.0.1:6379?prefix=x', '--queues', 'a,b'];

function parse(...extra: string[]): CliArgs {
  const args = parseCli([...BASE, ...extra], {});
  if (args === 'help') throw new Error('unexpected help');
  return args;
}

function flagOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SchedulerConfigError);
    expect(err).toBeInstanceOf(MqError);
    return (err as SchedulerConfigError).flag;
  }
  throw new Error('expected a SchedulerConfigError');
}

describe('mq-scheduler command line', () => {
  it('has a flag for every Scheduler option', () => {
    const settings = schedulerSettings(
      parse(
        '--id',
        'sched-1',
        '--scan-interval',
        '250',
        '--missed-ticks',
        'catch-up',
        '--missed-tick-tolerance',
        '5000',
        '--stalled-interval',
        '2000',
        '--max-stalls',
        '3',
        '--retention-interval',
        '30000',
        '--retention-batch',
        '500',
        '--heartbeat-interval',
        '4000',
      ),
    );
    expect(settings).toEqual({
      queues: ['a', 'b'],
      id: 'sched-1',
      scanIntervalMs: 250,
      missedTicks: 'catch-up',
      missedTickToleranceMs: 5000,
      stalled: { intervalMs: 2000, maxStalls: 3 },
      retention: { intervalMs: 30000, batch: 500 },
      heartbeatIntervalMs: 4000,
    });
    // A Scheduler option added without a flag fails here.
    // (`autorun` is for code that builds a Scheduler: the command always starts it.)
    expect(Object.keys(settings).sort()).toEqual(
      Object.keys(SchedulerOptionsSchema.properties)
        .filter((k) => k !== 'autorun')
        .sort(),
    );
    for (const key of ['stalled', 'retention'] as const) {
      const nested = SchedulerOptionsSchema.properties[key].anyOf[1].properties;
      expect(Object.keys(settings[key] as object).sort()).toEqual(Object.keys(nested).sort());
    }
  });

  it('takes the backend URL from --backend, else MQ_URL', () => {
    expect(parseCli(['--queues', 'a'], { MQ_URL: 'memory:' })).toMatchObject({
      backend: 'memory:',
    });
    expect(parseCli(['--backend', 'postgres://h/db?schema=s', '--queues', 'a'], {})).toMatchObject({
      backend: 'postgres://h/db?schema=s',
    });
  });

  it('leaves unset options to the Scheduler defaults; 0 turns a sweep off', () => {
    expect(schedulerSettings(parse())).toEqual({ queues: ['a', 'b'] });
    expect(
      schedulerSettings(parse('--stalled-interval', '0', '--retention-interval', '0')),
    ).toEqual({ queues: ['a', 'b'], stalled: false, retention: false });
  });

  it('refuses bad values with a typed error naming the flag', () => {
    expect(flagOf(() => parse('--heartbeat-interval', '5'))).toBe('--heartbeat-interval');
    expect(flagOf(() => parse('--missed-tick-tolerance=-1'))).toBe('--missed-tick-tolerance');
    expect(flagOf(() => parse('--missed-tick-tolerance', '-1'))).toBe('--missed-tick-tolerance');
    expect(flagOf(() => parse('--retention-batch', '0'))).toBe('--retention-batch');
    expect(flagOf(() => parse('--retention-batch', '1.5'))).toBe('--retention-batch');
    expect(flagOf(() => parse('--max-stalls', '1001'))).toBe('--max-stalls');
    expect(flagOf(() => parse('--scan-interval', '0'))).toBe('--scan-interval');
    expect(flagOf(() => parse('--scan-interval', ''))).toBe('--scan-interval');
    expect(flagOf(() => parse('--id', ''))).toBe('--id');
    expect(flagOf(() => parse('--missed-ticks', 'never'))).toBe('--missed-ticks');
    expect(flagOf(() => parseCli(['--backend', 'memory:', '--queues', 'a b'], {}))).toBe(
      '--queues',
    );
    expect(() => parse('--heartbeat-interval', '5')).toThrow(
      /--heartbeat-interval must be an integer at least 10/,
    );
    expect(flagOf(() => parseCli(['--queues', 'a'], {}))).toBe('--backend');
    expect(flagOf(() => parseCli(['--backend', 'redis', '--queues', 'a'], {}))).toBe('--backend');
    expect(flagOf(() => parseCli(['--backend', 'mysql://h/db', '--queues', 'a'], {}))).toBe(
      '--backend',
    );
    // The old --url flag is gone: the URL is the backend.
    expect(flagOf(() => parse('--url', 'redis://h'))).toBe('--url');
    // An unknown flag is a SchedulerConfigError too, not a bare TypeError.
    expect(flagOf(() => parse('--retention-age', '1'))).toBe('--retention-age');
  });
});
