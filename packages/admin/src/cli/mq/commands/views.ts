import type { Static } from '@sinclair/typebox';
import { CliUsageError } from '../../../errors.js';
import type { getJob } from '../../../operations/ops/job-views.js';
import type { listAudit, listWorkers } from '../../../operations/ops/other-views.js';
import type { overview } from '../../../operations/ops/queue-views.js';
import { type Command, printJson } from '../context.js';
import { duration, parseCount, table, time } from '../format.js';
import { collectJobs, FILTER_FLAGS, FILTER_OPTIONS, filterOf, type JobRow } from '../select.js';

/** A required positional, or a usage error naming it. */
export function arg(positionals: string[], i: number, name: string, command: string): string {
  const v = positionals[i];
  if (v === undefined)
    throw new CliUsageError(`mq ${command}: <${name}> is missing. Run mq ${command} --help.`);
  return v;
}

/** `mq queues`: the overview. */
export const queues: Command = {
  name: 'queues',
  summary: 'Every queue: counts per state, paused, live workers, oldest waiting age, warnings.',
  usage: 'queues',
  examples: ['mq queues', 'mq queues --json | jq ".queues[] | select(.paused)"'],
  mutates: false,
  options: {},
  async run(ctx) {
    const r = await ctx.exec<Static<typeof overview.result>>('queues.overview', {});
    if (ctx.json) return printJson(ctx, r);
    ctx.out(
      table(
        [
          'QUEUE',
          'WAITING',
          'ACTIVE',
          'DELAYED',
          'FAILED',
          'COMPLETED',
          'PAUSED',
          'WORKERS',
          'OLDEST',
          'WARNINGS',
        ],
        r.queues.map((q) => [
          q.queue,
          q.counts.waiting,
          q.counts.active,
          q.counts.delayed,
          q.counts.failed,
          q.counts.completed,
          q.paused ? 'yes' : 'no',
          q.workers,
          duration(q.oldestWaitingMs),
          q.warnings.join(',') || '-',
        ]),
      ),
    );
    return 0;
  },
};

function jobRows(jobs: JobRow[]): string {
  return table(
    ['ID', 'NAME', 'STATE', 'ATTEMPTS', 'CREATED', 'ERROR'],
    jobs.map((j) => [
      j.id,
      j.name,
      j.state,
      `${j.attemptsMade}/${j.attempts}`,
      time(j.createdAt),
      j.error ? `${j.error.name}: ${j.error.message}`.slice(0, 60) : '-',
    ]),
  );
}

/** `mq jobs <queue>`: jobs of a state, filtered. */
export const jobs: Command = {
  name: 'jobs',
  summary: 'Jobs of a queue by state, filtered by name, creation time or text.',
  usage: 'jobs <queue> [--state s] [--name n] [--since when] [--search text] [--limit n]',
  flags: [
    ...FILTER_FLAGS.map((l) => (l.startsWith('--state') ? `${l} (default waiting)` : l)),
    '(--limit default 50)',
  ],
  examples: [
    'mq jobs emails --state failed --since 1h',
    'mq jobs emails --state failed --search timeout --json',
  ],
  mutates: false,
  options: FILTER_OPTIONS,
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'jobs');
    const limit = parseCount(values.limit as string | undefined, '--limit', 50);
    const list = await collectJobs(ctx, queue, filterOf(values, 'waiting'), limit);
    if (ctx.json) return printJson(ctx, { jobs: list });
    ctx.out(jobRows(list));
    return 0;
  },
};

/** `mq job <queue> <id>`: one job in full. */
export const job: Command = {
  name: 'job',
  summary: 'One job: state, attempts, times, redacted data and result, logs, error and stack.',
  usage: 'job <queue> <id>',
  examples: ['mq job emails 42', 'mq job emails 42 --json | jq .job.data'],
  mutates: false,
  options: {},
  async run(ctx, pos) {
    const queue = arg(pos, 0, 'queue', 'job');
    const id = arg(pos, 1, 'id', 'job');
    const r = await ctx.exec<Static<typeof getJob.result>>('jobs.get', { queue, id });
    if (ctx.json) return printJson(ctx, r);
    const j = r.job;
    const lines = [
      `id:        ${j.id}`,
      `queue:     ${j.queue}`,
      `name:      ${j.name}`,
      `state:     ${j.state}`,
      `attempts:  ${j.attemptsMade}/${j.attempts} (started ${j.attemptsStarted}, stalls ${j.stalls})`,
      `priority:  ${j.priority}`,
      `created:   ${time(j.createdAt)}`,
      `run at:    ${time(j.runAt)}`,
      `started:   ${time(j.startedAt)}`,
      `finished:  ${time(j.finishedAt)}`,
      ...(j.workerId ? [`worker:    ${j.workerId}`] : []),
      `data:      ${JSON.stringify(j.data)}`,
      ...(j.result !== undefined ? [`result:    ${JSON.stringify(j.result)}`] : []),
      ...(j.progress !== undefined ? [`progress:  ${JSON.stringify(j.progress)}`] : []),
      ...(j.fullError
        ? [
            `error:     ${j.fullError.name}: ${j.fullError.message}`,
            ...(j.fullError.stack ? [j.fullError.stack] : []),
          ]
        : []),
      `logs:      ${r.logs.length === 0 ? '(none)' : ''}`,
      ...r.logs.map((l) => `  ${l}`),
    ];
    ctx.out(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** `mq workers`: live workers and schedulers. */
export const workers: Command = {
  name: 'workers',
  summary: 'Live workers and schedulers with heartbeat age; queues with work but no worker.',
  usage: 'workers [--queue q]',
  flags: ['--queue <q>       only workers of this queue'],
  examples: ['mq workers', 'mq workers --queue emails --json'],
  mutates: false,
  options: { queue: { type: 'string' } },
  async run(ctx, _pos, values) {
    const r = await ctx.exec<Static<typeof listWorkers.result>>('workers.list', {
      ...(values.queue !== undefined ? { queue: values.queue } : {}),
    });
    if (ctx.json) return printJson(ctx, r);
    ctx.out(
      table(
        ['ID', 'KIND', 'QUEUE', 'HOST', 'PID', 'CONCURRENCY', 'HEARTBEAT AGE'],
        r.workers.map((w) => [
          w.id,
          w.kind,
          w.queue,
          w.host,
          w.pid,
          w.concurrency,
          duration(w.heartbeatAgeMs),
        ]),
      ),
    );
    if (r.unattended.length > 0)
      ctx.out(
        `\nQueues with work but no live worker: ${r.unattended.map((u) => u.queue).join(', ')}\n`,
      );
    return 0;
  },
};

/** `mq audit`: the audit log. */
export const audit: Command = {
  name: 'audit',
  summary:
    'The audit log, newest first: who did what, with which role and reason, and the outcome.',
  usage: 'audit [--limit n]',
  flags: ['--limit <n>       records to show (default 50, at most 1000)'],
  examples: [
    'mq audit',
    'mq audit --limit 500 --json | jq ".records[] | select(.outcome != \\"ok\\")"',
  ],
  mutates: false,
  options: { limit: { type: 'string' } },
  async run(ctx, _pos, values) {
    const limit = parseCount(values.limit as string | undefined, '--limit', 50);
    const r = await ctx.exec<Static<typeof listAudit.result>>('audit.list', { limit });
    if (ctx.json) return printJson(ctx, r);
    ctx.out(
      table(
        ['AT', 'ACTOR', 'ROLE', 'ACTION', 'QUEUE', 'OUTCOME', 'COUNT', 'REASON'],
        r.records.map((a) => [
          time(a.at),
          a.actor,
          a.role,
          a.action,
          a.queue ?? '-',
          a.outcome,
          a.count ?? '-',
          a.reason,
        ]),
      ),
    );
    return 0;
  },
};
