import { CliUsageError, NotFoundError } from '../../../errors.js';
import type { CliContext, Command, Values } from '../context.js';
import { parseCount, parseDuration } from '../format.js';
import { type Done, type Preview, previewThenRun, printDone, printPreview } from '../mutation.js';
import {
  chunks,
  collectJobs,
  FILTER_FLAGS,
  FILTER_OPTIONS,
  filterOf,
  hasFineFilter,
  type JobRow,
  limitOf,
} from '../select.js';
import { arg } from './views.js';

type JobState = JobRow['state'];

/** The jobs among `ids` that exist now and are in one of `states` (through `jobs.get`). */
async function eligible(
  ctx: CliContext,
  queue: string,
  ids: string[],
  states: JobState[],
): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    try {
      const r = await ctx.exec<{ job: JobRow }>('jobs.get', { queue, id });
      if (states.includes(r.job.state)) out.push(id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return out;
}

function preview(ids: string[]): Preview {
  return { dryRun: true, count: ids.length, exact: true, sample: ids.slice(0, 10) };
}

/** Runs `op` over `ids` in batches of 1,000, merging the results. */
async function runOnIds(
  ctx: CliContext,
  op: string,
  queue: string,
  ids: string[],
  extra: (batch: string[]) => Record<string, unknown>,
): Promise<Done> {
  const merged: Done = { dryRun: false, count: 0, ids: [] };
  const all = chunks(ids);
  let sent = 0;
  for (const batch of all) {
    // One audited layer call per batch of 1,000 ids (the request bound).
    const r = await ctx.exec<Done>(op, { queue, ...extra(batch), reason: ctx.reason });
    sent += batch.length;
    if (all.length > 1) ctx.progress(op, sent, ids.length);
    merged.count += r.count;
    if (r.ids) merged.ids?.push(...r.ids);
    if (r.results) merged.results = { ...(merged.results as object), ...(r.results as object) };
  }
  if (merged.results !== undefined) delete merged.ids;
  return merged;
}

/**
 * An action by ids or by filter: ids (positionals) are taken as given; a filter is
 * resolved to ids through `jobs.list`, shown and confirmed (`--yes` or the prompt).
 */
async function byIdsOrFilter(
  ctx: CliContext,
  pos: string[],
  values: Values,
  spec: {
    command: string;
    op: string;
    states: JobState[];
    fallbackState: JobState;
    verb: string;
    /** Whether ids given explicitly are confirmed too (remove, cancel). */
    confirmIds: boolean;
    body: (batch: string[]) => Record<string, unknown>;
  },
): Promise<number> {
  const queue = arg(pos, 0, 'queue', spec.command);
  const given = pos.slice(1);
  const byFilter = given.length === 0;
  if (byFilter && values.state === undefined && !hasFineFilter(values))
    throw new CliUsageError(
      `mq ${spec.command}: give job ids or a filter (--state, --name, --since, --search). Run mq ${spec.command} --help.`,
    );
  const ids = byFilter
    ? (await collectJobs(ctx, queue, filterOf(values, spec.fallbackState), limitOf(values)))
        .filter((j) => spec.states.includes(j.state))
        .map((j) => j.id)
    : ctx.dryRun
      ? await eligible(ctx, queue, given, spec.states)
      : given;
  if (ctx.dryRun) return printPreview(ctx, preview(ids), `${spec.verb} job(s) of ${queue}`);
  if (ids.length > 0 && (byFilter || spec.confirmIds))
    await ctx.confirm(
      `${spec.verb[0]?.toUpperCase()}${spec.verb.slice(1)} ${ids.length} job(s) of "${queue}"?`,
    );
  if (ids.length === 0)
    return printDone(ctx, { dryRun: false, count: 0, ids: [] }, `${spec.verb} job(s) of ${queue}`);
  return printDone(
    ctx,
    await runOnIds(ctx, spec.op, queue, ids, spec.body),
    `${spec.verb} job(s) of ${queue}`,
  );
}

const RETRY_FLAGS = [
  '--state <s>       failed (default) | completed',
  ...FILTER_FLAGS.slice(1),
  "--fingerprint <f> an error group of the dashboard's failures view (12 hex digits)",
];

/** The retry selection of the flags: ids, an error group, a state, or a fine filter's ids. */
async function retrySelect(
  ctx: CliContext,
  queue: string,
  pos: string[],
  values: Values,
): Promise<{ select: Record<string, unknown>; confirm: boolean }> {
  const given = pos.slice(1);
  if (given.length > 0) return { select: { ids: given }, confirm: false };
  if (values.fingerprint !== undefined)
    return { select: { fingerprint: values.fingerprint, limit: limitOf(values) }, confirm: true };
  const state = (values.state as string | undefined) ?? 'failed';
  if (state !== 'failed' && state !== 'completed')
    throw new CliUsageError(`--state must be failed or completed for a retry, got "${state}".`);
  if (!hasFineFilter(values)) return { select: { state, limit: limitOf(values) }, confirm: true };
  const jobs = await collectJobs(
    ctx,
    queue,
    filterOf(values, 'failed'),
    Math.min(1000, limitOf(values)),
  );
  if (jobs.length === 0) return { select: { ids: [] }, confirm: true };
  return { select: { ids: jobs.map((j) => j.id) }, confirm: true };
}

/** `mq retry <queue> [ids…]`. */
export const retry: Command = {
  name: 'retry',
  summary: 'Retry failed (or completed) jobs by ids, by state, by error group or by filter.',
  usage:
    'retry <queue> [id…] [--state failed|completed] [--fingerprint f] [--name n] [--since when] [--search text] [--limit n]',
  flags: [
    ...RETRY_FLAGS,
    '(by filter: --limit default 1000, at most 1000 with --name/--since/--search)',
  ],
  examples: [
    'mq retry emails 41 42',
    'mq retry emails --state failed --limit 500 --dry-run',
    'mq retry emails --search ECONNRESET --since 1h --yes --reason "SMTP back"',
  ],
  mutates: true,
  options: { ...FILTER_OPTIONS, fingerprint: { type: 'string' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'retry');
    const { select, confirm } = await retrySelect(ctx, queue, pos, values);
    if ((select.ids as string[] | undefined)?.length === 0) {
      if (ctx.dryRun) return printPreview(ctx, preview([]), `retry job(s) of ${queue}`);
      return printDone(ctx, { dryRun: false, count: 0, ids: [] }, `retried job(s) of ${queue}`);
    }
    if (!confirm) {
      const r = await ctx.exec<Done | Preview>('jobs.retry', {
        queue,
        select,
        reason: ctx.reason,
        ...(ctx.dryRun ? { dryRun: true } : {}),
      });
      return r.dryRun
        ? printPreview(ctx, r, `retry job(s) of ${queue}`)
        : printDone(ctx, r, `retried job(s) of ${queue}`);
    }
    return previewThenRun(
      ctx,
      'jobs.retry',
      { queue, select, reason: ctx.reason },
      {
        would: `retry job(s) of ${queue}`,
        did: `retried job(s) of ${queue}`,
        question: (n) => `Retry ${n} job(s) of "${queue}"?`,
      },
    );
  },
};

/** `mq canary-retry <queue> --size n`. */
export const canaryRetry: Command = {
  name: 'canary-retry',
  summary: 'Retry a small wave, wait, and go on in waves only while the re-failure rate stays low.',
  usage:
    'canary-retry <queue> [id…] --size n [--waves n] [--max-failure-rate r] [--wait d] [filter flags of retry]',
  flags: [
    '--size <n>        jobs per wave (required, at most 1000)',
    '--waves <n>       waves at most (default 1, at most 20)',
    '--max-failure-rate <r>  0..1: stop when more of a wave fails again (default 0.1)',
    '--wait <d>        how long to wait for a wave to settle (default 10s, at most 60s)',
    ...RETRY_FLAGS,
  ],
  examples: [
    'mq canary-retry emails --size 10 --waves 5 --dry-run',
    'mq canary-retry emails --size 10 --waves 5 --yes --reason "fix deployed"',
  ],
  mutates: true,
  options: {
    ...FILTER_OPTIONS,
    fingerprint: { type: 'string' },
    size: { type: 'string' },
    waves: { type: 'string' },
    'max-failure-rate': { type: 'string' },
    wait: { type: 'string' },
  },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'canary-retry');
    const size = parseCount(values.size as string | undefined, '--size', 0);
    if (size === 0) throw new CliUsageError('mq canary-retry: --size <n> is required.');
    const waves = parseCount(values.waves as string | undefined, '--waves', 1);
    const { select, confirm } = await retrySelect(ctx, queue, pos, values);
    if ((select.ids as string[] | undefined)?.length === 0) {
      if (ctx.dryRun) return printPreview(ctx, preview([]), `retry job(s) of ${queue}`);
      return printDone(
        ctx,
        { dryRun: false, count: 0, waves: [], stopped: 'exhausted' },
        `retried job(s) of ${queue}`,
      );
    }
    // The layer's canary has no dry run: preview the selection with jobs.retry's.
    const p = await ctx.exec<Preview>('jobs.retry', {
      queue,
      select,
      reason: ctx.reason,
      dryRun: true,
    });
    const first = Math.min(p.count, size * waves);
    if (ctx.dryRun)
      return printPreview(
        ctx,
        { ...p, count: first },
        `retry in ${waves} wave(s) of ${size} (of ${p.count} selected) job(s) of ${queue}`,
      );
    if (confirm && p.count > 0)
      await ctx.confirm(`Retry up to ${first} job(s) of "${queue}" in waves of ${size}?`);
    const rate = values['max-failure-rate'];
    const r = await ctx.exec<
      Done & {
        waves: { ids: string[]; completed: number; failed: number; pending: number }[];
        stopped: string;
      }
    >('jobs.canaryRetry', {
      queue,
      select,
      size,
      waves,
      ...(rate !== undefined ? { maxFailureRate: Number(rate) } : {}),
      ...(values.wait !== undefined
        ? { waitMs: parseDuration(values.wait as string, '--wait') }
        : {}),
      reason: ctx.reason,
    });
    if (ctx.json) return printDone(ctx, r, '');
    for (const [i, w] of r.waves.entries())
      ctx.out(
        `wave ${i + 1}: ${w.ids.length} retried, ${w.completed} completed, ${w.failed} failed again, ${w.pending} pending\n`,
      );
    ctx.out(`retried ${r.count} job(s) of ${queue}; stopped: ${r.stopped}\n`);
    return 0;
  },
};

/** `mq promote <queue> [ids…]`. */
export const promote: Command = {
  name: 'promote',
  summary: 'Make delayed jobs waiting now: by ids, the soonest --limit n, or by filter.',
  usage: 'promote <queue> [id…] [--limit n] [--name n] [--since when] [--search text]',
  flags: ['--limit <n>       the soonest n delayed jobs (default 1)', ...FILTER_FLAGS.slice(1, 4)],
  examples: ['mq promote emails 42', 'mq promote emails --limit 100 --dry-run'],
  mutates: true,
  options: FILTER_OPTIONS,
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'promote');
    if (pos.length > 1 || hasFineFilter(values))
      return byIdsOrFilter(
        ctx,
        pos,
        { ...values, state: 'delayed' },
        {
          command: 'promote',
          op: 'jobs.promote',
          states: ['delayed'],
          fallbackState: 'delayed',
          verb: 'promote',
          confirmIds: false,
          body: (ids) => ({ ids }),
        },
      );
    const limit = parseCount(values.limit as string | undefined, '--limit', 1);
    if (ctx.dryRun) {
      const soonest = await collectJobs(ctx, queue, { state: 'delayed', order: 'asc' }, limit);
      return printPreview(
        ctx,
        preview(soonest.map((j) => j.id)),
        `promote delayed job(s) of ${queue}`,
      );
    }
    return printDone(
      ctx,
      await ctx.exec<Done>('jobs.promote', { queue, limit, reason: ctx.reason }),
      `promoted job(s) of ${queue}`,
    );
  },
};

/** `mq remove <queue> [ids…]`. */
export const remove: Command = {
  name: 'remove',
  summary: 'Remove jobs (not active ones) by ids or by filter, after confirmation.',
  usage: 'remove <queue> [id…] [--state s] [--name n] [--since when] [--search text] [--limit n]',
  flags: [
    ...FILTER_FLAGS,
    '(by filter: --state required or default waiting, --limit default 1000)',
  ],
  examples: [
    'mq remove emails 41 42 --yes',
    'mq remove emails --state failed --name welcome --dry-run',
  ],
  mutates: true,
  options: FILTER_OPTIONS,
  run: (ctx, pos, values) =>
    byIdsOrFilter(ctx, pos, values, {
      command: 'remove',
      op: 'jobs.remove',
      states: ['waiting', 'delayed', 'completed', 'failed'],
      fallbackState: 'waiting',
      verb: 'remove',
      confirmIds: true,
      body: (ids) => ({ ids }),
    }),
};

/** `mq cancel <queue> [ids…]`. */
export const cancel: Command = {
  name: 'cancel',
  summary: 'Cancel jobs by ids or by filter: queued ones fail at once, active ones are signalled.',
  usage: 'cancel <queue> [id…] [--state s] [--name n] [--since when] [--search text] [--limit n]',
  flags: [...FILTER_FLAGS, '(by filter: --state default waiting, --limit default 1000)'],
  examples: [
    'mq cancel emails 42 --yes --reason "customer asked"',
    'mq cancel emails --state delayed --name digest --dry-run',
  ],
  mutates: true,
  options: FILTER_OPTIONS,
  run: (ctx, pos, values) =>
    byIdsOrFilter(ctx, pos, values, {
      command: 'cancel',
      op: 'jobs.cancel',
      states: ['waiting', 'delayed', 'active'],
      fallbackState: 'waiting',
      verb: 'cancel',
      confirmIds: true,
      body: (ids) => ({ ids }),
    }),
};
