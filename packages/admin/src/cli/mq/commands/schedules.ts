import type { Static } from '@sinclair/typebox';
import { CliUsageError, NotFoundError } from '../../../errors.js';
import type { listSchedules } from '../../../operations/ops/other-views.js';
import { type Command, printJson } from '../context.js';
import { duration, table, time } from '../format.js';
import { type Done, printDone, printPreview } from '../mutation.js';
import { arg } from './views.js';

const VERBS = {
  pause: 'schedules.pause',
  resume: 'schedules.resume',
  remove: 'schedules.remove',
  'reset-drift': 'schedules.resetDrift',
} as const;

/** `mq schedules <queue> [pause|resume|remove|reset-drift <id>]`. */
export const schedules: Command = {
  name: 'schedules',
  summary: "A queue's schedules (next run, drift); pause, resume, remove or reset-drift one.",
  usage: 'schedules <queue> [pause|resume|remove|reset-drift <id>]',
  examples: [
    'mq schedules reports',
    'mq schedules reports pause nightly --reason "month-end freeze"',
    'mq schedules reports remove nightly --yes',
  ],
  mutates: true,
  options: {},
  async run(ctx, pos) {
    const queue = arg(pos, 0, 'queue', 'schedules');
    const verb = pos[1];
    const list = async () =>
      (await ctx.exec<Static<typeof listSchedules.result>>('schedules.list', { queue })).schedules;
    if (verb === undefined) {
      const all = await list();
      if (ctx.json) return printJson(ctx, { schedules: all });
      ctx.out(
        table(
          [
            'ID',
            'TASK',
            'PAUSED',
            'NEXT RUN',
            'LAST RUN',
            'RUNS',
            'LAST DRIFT',
            'MAX DRIFT',
            'LATE',
            'OVERDUE',
          ],
          all.map((s) => [
            s.id,
            s.task,
            s.paused ? 'yes' : 'no',
            time(s.nextRunAt),
            time(s.lastRunAt),
            s.runCount,
            duration(s.lastDriftMs),
            duration(s.maxDriftMs),
            s.lateTicks,
            duration(s.overdueMs || null),
          ]),
        ),
      );
      return 0;
    }
    if (!(verb in VERBS))
      throw new CliUsageError(
        `mq schedules: the action must be one of ${Object.keys(VERBS).join(', ')}, got "${verb}".`,
      );
    const id = arg(pos, 2, 'id', 'schedules');
    if (ctx.dryRun) {
      // Schedule actions have no dry run in the layer: preview from the list (a view).
      const s = (await list()).find((x) => x.id === id);
      if (!s) throw new NotFoundError('schedule', `${queue}/${id}`);
      const changes = verb === 'pause' ? !s.paused : verb === 'resume' ? s.paused : true;
      return printPreview(
        ctx,
        { dryRun: true, count: changes ? 1 : 0, exact: true, sample: [id] },
        `${verb} schedule ${id} of ${queue}; schedules changed`,
      );
    }
    if (verb === 'remove') await ctx.confirm(`Remove schedule "${id}" of "${queue}"?`);
    const r = await ctx.exec<Done>(VERBS[verb as keyof typeof VERBS], {
      queue,
      id,
      reason: ctx.reason,
    });
    return printDone(ctx, r, `${verb} schedule ${id} of ${queue}; schedules changed`);
  },
};
