import { type Backend, Queue } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueReport } from '../src/report.js';
import { runDemo } from '../src/run-demo.js';

/** A stream stand-in that keeps what the demo writes. */
function capture(isTTY = false) {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

// Everything the store holds for a queue after the run, to check the report against.
async function inspect(backend: Backend, name: string) {
  const queue = new Queue(name, { backend });
  return {
    counts: await queue.getCounts(),
    failed: await queue.getJobs('failed', { limit: 10_000 }),
    completed: await queue.getJobs('completed', { limit: 10_000 }),
  };
}

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('runDemo', () => {
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('settles every job; only the unrecoverable ones fail; retries and dedup hits happen', async () => {
    backend = createMemoryBackend();
    const out = capture();
    const result = await runDemo({ durationMs: 2000, out, backend });

    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ ok: true, settled: true, stopped: false });
    expect(result.queues.map((q) => q.name)).toEqual(['emails', 'webhooks']);
    for (const report of result.queues) {
      const { counts, failed, completed } = await inspect(backend, report.name);
      // Retention is off in the demo, so the store still holds every job it added.
      expect(counts).toMatchObject({ waiting: 0, delayed: 0, active: 0 });
      expect(counts.completed + counts.failed).toBe(report.added);
      expect(failed.map((j) => j.id).sort()).toEqual([...report.doomedIds].sort());
      for (const job of failed) {
        expect(job.error?.name).toBe('UnrecoverableError');
        // Unrecoverable: one attempt although each was allowed 3.
        expect(job.attemptsMade).toBe(1);
        expect(job.opts.attempts).toBe(3);
      }
      // What QueueEvents reported agrees with the store.
      expect(report.completed).toBe(counts.completed);
      expect(report.failed).toBe(counts.failed);
      expect(report.retried).toBe(completed.reduce((n, j) => n + j.attemptsMade - 1, 0));
      expect(report.failedUnrecoverable).toBe(counts.failed);
      expect(report.failed).toBeGreaterThan(0);
      expect(report.retried).toBeGreaterThan(0);
      expect(report.deduplicated).toBeGreaterThan(0);
    }

    expect(out.text).not.toContain('\x1b[');
    // A progress line per second, then the summary with one row per queue.
    expect(out.text).toMatch(/^\[ +1\.\ds\] \w+ +\| emails w=\d+ d=\d+ a=\d+ c=\d+ f=\d+/m);
    const summary = out.text.slice(out.text.indexOf('Summary'));
    expect(summary).toContain('all jobs settled');
    const row = (q: QueueReport) =>
      new RegExp(
        `^ +${q.name} +${q.added} +${q.deduplicated} +${q.completed} +${q.failed} +${q.retried} `,
        'm',
      );
    for (const q of result.queues) expect(summary).toMatch(row(q));
  });

  it('redraws in place on a terminal and leaves no timer behind', async () => {
    const before = timeouts();
    const out = capture(true);
    const result = await runDemo({ durationMs: 1200, out, colors: false });

    expect(result.ok).toBe(true);
    expect(out.text.startsWith('mq demo')).toBe(true);
    expect(out.text).toContain('\x1b[?25l');
    expect(out.text.indexOf('\x1b[?25h')).toBeGreaterThan(out.text.indexOf('\x1b[?25l'));
    // Later frames move up over the previous one (header, blank, column titles, 2 queues).
    expect(out.text).toContain('\x1b[5F\x1b[2K');
    // Its own backend and workers are closed: no timer of the run is left.
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('stops early on its signal and reports it', async () => {
    const stop = new AbortController();
    const out = capture();
    setTimeout(() => stop.abort(), 300);
    const started = Date.now();
    const result = await runDemo({ durationMs: 10_000, out, signal: stop.signal });

    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ ok: false, stopped: true });
    expect(result.errors).toEqual([]);
    expect(out.text).toContain('stopped early');
  });
});
