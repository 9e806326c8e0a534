import type { Static } from '@sinclair/typebox';
import { NotFoundError } from '../../../errors.js';
import type { overview } from '../../../operations/ops/queue-views.js';
import type { CliContext, Command } from '../context.js';
import { parseCount, parseDuration } from '../format.js';
import { type Done, previewThenRun, printDone, printPreview } from '../mutation.js';
import { arg } from './views.js';

async function isPaused(ctx: CliContext, queue: string): Promise<boolean> {
  const r = await ctx.exec<Static<typeof overview.result>>('queues.overview', {});
  const q = r.queues.find((s) => s.queue === queue);
  if (!q) throw new NotFoundError('queue', queue);
  return q.paused;
}

function pauseCommand(verb: 'pause' | 'resume'): Command {
  return {
    name: verb,
    summary:
      verb === 'pause'
        ? 'Pause a queue: no new leases, running jobs finish.'
        : 'Resume a paused queue.',
    usage: `${verb} <queue>`,
    examples: [
      `mq ${verb} emails --reason "provider outage INC-42"`,
      `mq ${verb} emails --dry-run`,
    ],
    mutates: true,
    options: {},
    async run(ctx, pos) {
      const queue = arg(pos, 0, 'queue', verb);
      if (ctx.dryRun) {
        // The layer's pause has no dry run: preview from the overview (a view, not audited).
        const paused = await isPaused(ctx, queue);
        const changes = paused !== (verb === 'pause');
        return printPreview(
          ctx,
          { dryRun: true, count: changes ? 1 : 0, exact: true, sample: [] },
          `${verb} ${queue} (it is ${paused ? 'paused' : 'running'}); queues changed`,
        );
      }
      const r = await ctx.exec<Done>(`queue.${verb}`, { queue, reason: ctx.reason });
      if (ctx.json) return printDone(ctx, r, '');
      ctx.out(`${verb === 'pause' ? 'paused' : 'resumed'} ${queue}\n`);
      return 0;
    },
  };
}

/** `mq pause <queue>`. */
export const pause = pauseCommand('pause');
/** `mq resume <queue>`. */
export const resume = pauseCommand('resume');

/** `mq clean <queue> --state s --grace d --limit n`. */
export const clean: Command = {
  name: 'clean',
  summary: 'Remove jobs of a state older than a grace period (previewed, then confirmed).',
  usage: 'clean <queue> --state <s> [--grace d] [--limit n]',
  flags: [
    '--state <s>       completed | failed | waiting | delayed (required)',
    '--grace <d>       only jobs older than this (500ms, 30s, 10m, 2h, 7d; default 0)',
    '--limit <n>       remove at most n (default 1000, at most 1000000)',
  ],
  examples: [
    'mq clean emails --state completed --grace 7d --dry-run',
    'mq clean emails --state failed --grace 30d --limit 10000 --yes --reason "retention"',
  ],
  mutates: true,
  options: { state: { type: 'string' }, grace: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'clean');
    const state = values.state as string | undefined;
    const input = {
      queue,
      ...(state !== undefined ? { state } : {}),
      graceMs: values.grace === undefined ? 0 : parseDuration(values.grace as string, '--grace'),
      limit: parseCount(values.limit as string | undefined, '--limit', 1000),
      reason: ctx.reason,
    };
    return previewThenRun(ctx, 'queue.clean', input, {
      would: `remove ${state} job(s) of ${queue}`,
      did: `removed ${state} job(s) of ${queue}`,
      question: (n) => `Remove ${n} ${state} job(s) of "${queue}"?`,
    });
  },
};

/** `mq drain <queue> [--delayed]`. */
export const drain: Command = {
  name: 'drain',
  summary: 'Remove every waiting job (and delayed ones with --delayed), previewed then confirmed.',
  usage: 'drain <queue> [--delayed]',
  flags: ['--delayed         also remove delayed jobs'],
  examples: [
    'mq drain emails --dry-run',
    'mq drain emails --delayed --yes --reason "bad deploy INC-7"',
  ],
  mutates: true,
  options: { delayed: { type: 'boolean' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'drain');
    const includeDelayed = values.delayed === true;
    const what = includeDelayed ? 'waiting and delayed' : 'waiting';
    return previewThenRun(
      ctx,
      'queue.drain',
      { queue, includeDelayed, reason: ctx.reason },
      {
        would: `remove ${what} job(s) of ${queue}`,
        did: `drained ${what} job(s) of ${queue}`,
        question: (n) => `Remove ${n} ${what} job(s) of "${queue}"?`,
      },
    );
  },
};

/** `mq obliterate <queue> [--force]`. */
export const obliterate: Command = {
  name: 'obliterate',
  summary: 'Remove everything of a queue (admin; the prompt asks for the queue name typed).',
  usage: 'obliterate <queue> [--force]',
  flags: ['--force           obliterate even while jobs are active'],
  examples: [
    'mq obliterate scratch --dry-run',
    'mq obliterate scratch --force --yes --reason "test queue"',
  ],
  mutates: true,
  options: { force: { type: 'boolean' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'obliterate');
    return previewThenRun(
      ctx,
      'queue.obliterate',
      { queue, confirm: queue, force: values.force === true, reason: ctx.reason },
      {
        would: `remove every job of ${queue}`,
        did: `obliterated ${queue}; jobs removed`,
        question: (n) => `Obliterate "${queue}" and its ${n} job(s)? This cannot be undone.`,
        expect: queue,
      },
    );
  },
};
