import type { Static } from '@sinclair/typebox';
import type { overview } from '../../../operations/ops/queue-views.js';
import type { Command } from '../context.js';
import { duration, parseCount, parseDuration, table, time } from '../format.js';

/** Clears the screen and homes the cursor (only written to a terminal). */
const CLEAR = '\u001b[2J\u001b[H';

/**
 * `mq top`: every queue, redrawn each interval. Counts come from the layer's shared
 * snapshot; throughput from the live plane (the event subscriptions `top` starts), so
 * the rates cover what happened while it ran.
 */
export const top: Command = {
  name: 'top',
  summary: 'A live view of every queue: counts, workers, age and throughput from the event plane.',
  usage: 'top [--interval d] [--iterations n]',
  flags: [
    '--interval <d>    redraw every d (default 2s)',
    '--iterations <n>  stop after n frames (default: until Ctrl-C)',
  ],
  examples: ['mq top', 'mq top --interval 5s', 'mq top --iterations 1 --json'],
  mutates: false,
  options: { interval: { type: 'string' }, iterations: { type: 'string' } },
  async run(ctx, _pos, values) {
    const every = parseDuration((values.interval as string | undefined) ?? '2s', '--interval');
    const frames =
      values.iterations === undefined
        ? Number.POSITIVE_INFINITY
        : parseCount(values.iterations as string, '--iterations', 1);
    const tty = process.stdout.isTTY === true && !ctx.json;
    await ctx.ops.live.start();
    let stopped = false;
    void ctx.interrupted.then(() => {
      stopped = true;
    });
    for (let i = 0; i < frames && !stopped; i++) {
      if (i > 0) await Promise.race([new Promise((r) => setTimeout(r, every)), ctx.interrupted]);
      if (stopped) break;
      const r = await ctx.exec<Static<typeof overview.result>>('queues.overview', {});
      if (ctx.json) {
        ctx.out(`${JSON.stringify(r)}\n`);
        continue;
      }
      const body = table(
        [
          'QUEUE',
          'WAITING',
          'ACTIVE',
          'DELAYED',
          'FAILED',
          'PAUSED',
          'WORKERS',
          'OLDEST',
          'DONE/MIN',
          'FAIL/MIN',
        ],
        r.queues.map((q) => [
          q.queue,
          q.counts.waiting,
          q.counts.active,
          q.counts.delayed,
          q.counts.failed,
          q.paused ? 'yes' : 'no',
          `${q.workers}${q.concurrency > 0 ? `x${q.concurrency}` : ''}`,
          duration(q.oldestWaitingMs),
          q.throughput?.completedPerMin ?? '-',
          q.throughput?.failedPerMin ?? '-',
        ]),
      );
      ctx.out(
        `${tty ? CLEAR : i > 0 ? '\n' : ''}mq top  ${time(r.at)}  (Ctrl-C to quit)\n\n${body}`,
      );
    }
    return 0;
  },
};
