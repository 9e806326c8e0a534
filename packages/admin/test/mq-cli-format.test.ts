import { ValidationError } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/cli/mq/context.js';
import { EXIT, exitCodeOf } from '../src/cli/mq/exit-codes.js';
import { duration, parseDuration, parseSince, table } from '../src/cli/mq/format.js';
import { CliRefusedError, CliUsageError, ConfirmationError, NotFoundError } from '../src/errors.js';

describe('mq output and parsing helpers', () => {
  it('aligns tables and says (none) when empty', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', 1],
          ['q', 22],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\nq    22\n');
    expect(table(['A'], [])).toBe('(none)\n');
  });

  it('parses and prints durations, and --since in its three forms', () => {
    expect(parseDuration('1500ms', '--grace')).toBe(1500);
    expect(parseDuration('2h', '--grace')).toBe(7_200_000);
    expect(() => parseDuration('2 weeks', '--grace')).toThrow(/--grace must be a duration/);
    expect(duration(250_000)).toBe('4m10s');
    expect(duration(null)).toBe('-');
    expect(parseSince('10m', 1_000_000_000)).toBe(1_000_000_000 - 600_000);
    expect(parseSince('2026-01-02T00:00:00Z', 0)).toBe(Date.UTC(2026, 0, 2));
    expect(parseSince('1767312000000', 0)).toBe(1_767_312_000_000);
    expect(() => parseSince('yesterday', 0)).toThrow(CliUsageError);
  });

  it('draws a progress bar that ends its line when done', () => {
    const out: string[] = [];
    progressBar((t) => out.push(t), 'jobs.remove', 1000, 4000);
    progressBar((t) => out.push(t), 'jobs.remove', 4000, 4000);
    expect(out).toEqual([
      `\rjobs.remove [${'#'.repeat(8)}${'-'.repeat(22)}] 1000/4000`,
      `\rjobs.remove [${'#'.repeat(30)}] 4000/4000\n`,
    ]);
  });

  it('maps errors to the documented exit codes', () => {
    expect(exitCodeOf(new CliUsageError('x'))).toBe(EXIT.usage);
    expect(exitCodeOf(new ValidationError('req', [{ path: '/a', rule: 'r' }]))).toBe(2);
    expect(exitCodeOf(new CliRefusedError('x'))).toBe(3);
    expect(exitCodeOf(new ConfirmationError('x'))).toBe(3);
    expect(exitCodeOf(new NotFoundError('job', 'q/1'))).toBe(4);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});
