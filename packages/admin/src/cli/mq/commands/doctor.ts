import type { Static } from '@sinclair/typebox';
import type { queueHealth } from '../../../operations/ops/queue-views.js';
import { type Command, printJson } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { parseDuration, table } from '../format.js';
import { arg } from './views.js';

/** `mq doctor <queue>`: the dashboard's "why isn't this draining?" checks, as an exit code. */
export const doctor: Command = {
  name: 'doctor',
  summary: `A queue's health checks ("why isn't this draining?"), each with its playbook step; exit 0 ok, 10 warn, 11 fail.`,
  usage: 'doctor <queue> [--observe d]',
  flags: [
    '--observe <d>     watch the event plane this long first, so the failure-rate check',
    '                  has data (default 3s; 0 skips it and that check warns "unknown")',
  ],
  examples: [
    'mq doctor emails',
    'mq doctor emails --observe 0 --json',
    'mq doctor emails || page-oncall',
  ],
  mutates: false,
  options: { observe: { type: 'string' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'doctor');
    const observe = parseDuration((values.observe as string | undefined) ?? '3s', '--observe');
    if (observe > 0) {
      await ctx.ops.live.start();
      await new Promise((r) => setTimeout(r, observe));
    }
    const r = await ctx.exec<Static<typeof queueHealth.result>>('queue.health', { queue });
    const code = r.checks.some((c) => c.status === 'fail')
      ? EXIT.doctorFail
      : r.checks.some((c) => c.status === 'warn')
        ? EXIT.doctorWarn
        : EXIT.ok;
    if (ctx.json) {
      printJson(ctx, r);
      return code;
    }
    const c = r.summary.counts;
    ctx.out(
      `${queue}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed, ${c.failed} failed; ` +
        `${r.summary.paused ? 'paused' : 'running'}, ${r.summary.workers} worker(s)\n\n`,
    );
    ctx.out(
      table(
        ['CHECK', 'STATUS', 'DETAIL', 'PLAYBOOK'],
        r.checks.map((k) => [
          k.id,
          k.status.toUpperCase(),
          k.detail,
          k.status === 'ok' ? '-' : k.playbook,
        ]),
      ),
    );
    return code;
  },
};
