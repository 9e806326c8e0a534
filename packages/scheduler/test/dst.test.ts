import { Queue } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { describe, expect, it } from 'vitest';
import { fireDue } from '../src/index.js';

const t = (iso: string) => Date.parse(iso);
const policy = { missedTicks: 'skip' as const, toleranceMs: 1000 };

// The clock is the `now` handed to each pass: every tick is checked at a chosen instant.
async function ticksAt(cron: string, tz: string, firstTick: string, instants: string[]) {
  const backend = createMemoryBackend();
  const queue = new Queue('dst', { backend, events: false });
  const rec = await queue.upsertRepeatable('s', { cron, tz }, { name: 'tick' });
  await backend.schedules.upsert({ ...rec, nextRunAt: t(firstTick) });
  const fired: string[] = [];
  for (const iso of instants) {
    const pass = await fireDue(backend, 'dst', policy, t(iso));
    if (pass.fired > 0) fired.push(iso);
  }
  const jobs = await queue.getJobs('waiting', { limit: 100 });
  const planned = jobs.map((j) => new Date(Number(j.id.split(':').pop())).toISOString()).sort();
  await backend.close();
  return { fired, planned };
}

describe('cron schedules across DST (America/New_York)', () => {
  it('spring forward: the nonexistent 02:30 fires once, at 03:30 EDT, and the days around it are regular', async () => {
    const { planned } = await ticksAt(
      '30 2 * * *',
      'America/New_York',
      '2026-03-07T07:30:00.000Z',
      [
        '2026-03-07T07:30:00.010Z',
        '2026-03-08T06:30:00.010Z', // 01:30 EST: nothing due
        '2026-03-08T07:30:00.010Z', // 03:30 EDT: the shifted tick
        '2026-03-08T08:30:00.010Z',
        '2026-03-09T06:30:00.010Z', // 02:30 EDT
      ],
    );
    expect(planned).toEqual([
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:30:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('fall back: 01:30 happens twice on Nov 1st but fires once', async () => {
    const { planned, fired } = await ticksAt(
      '30 1 * * *',
      'America/New_York',
      '2026-10-31T05:30:00.000Z',
      [
        '2026-10-31T05:30:00.010Z',
        '2026-11-01T05:30:00.010Z', // 01:30 EDT
        '2026-11-01T06:30:00.010Z', // 01:30 EST, the repeated hour: must not fire again
        '2026-11-02T06:30:00.010Z',
      ],
    );
    expect(planned).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    expect(fired).not.toContain('2026-11-01T06:30:00.010Z');
  });

  it('a schedule in UTC is unaffected by New York DST', async () => {
    const { planned } = await ticksAt('0 12 * * *', 'UTC', '2026-03-07T12:00:00.000Z', [
      '2026-03-07T12:00:00.010Z',
      '2026-03-08T12:00:00.010Z',
      '2026-03-09T12:00:00.010Z',
    ]);
    expect(planned).toEqual([
      '2026-03-07T12:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ]);
  });
});
