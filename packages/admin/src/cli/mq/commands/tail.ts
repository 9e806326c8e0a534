import type { LiveEvent } from '../../../operations/live-plane.js';
import type { Command } from '../context.js';
import { parseCount, time } from '../format.js';
import { arg } from './views.js';

/** `mq tail <queue>`: live events until --count or Ctrl-C. */
export const tail: Command = {
  name: 'tail',
  summary: "A queue's live events (added, active, completed, failed, …) until --count n or Ctrl-C.",
  usage: 'tail <queue> [--count n] [--type t,…]',
  flags: [
    '--count <n>       stop after n events',
    '--type <t,…>      only these event types (e.g. failed,stalled)',
  ],
  examples: [
    'mq tail emails',
    'mq tail emails --type failed --json | jq .event.jobId',
    'mq tail emails --count 10',
  ],
  mutates: false,
  options: { count: { type: 'string' }, type: { type: 'string' } },
  async run(ctx, pos, values) {
    const queue = arg(pos, 0, 'queue', 'tail');
    const count =
      values.count === undefined
        ? Number.POSITIVE_INFINITY
        : parseCount(values.count as string, '--count', 1);
    const types = values.type === undefined ? null : new Set((values.type as string).split(','));
    let seen = 0;
    let finish = (): void => {};
    const done = new Promise<void>((r) => {
      finish = r;
    });
    const stop = ctx.ops.live.listen((e: LiveEvent) => {
      if (e.event.queue !== queue || (types && !types.has(e.event.type)) || seen >= count) return;
      seen++;
      const ev = e.event;
      const detail = ev.data === undefined ? '' : `  ${JSON.stringify(ev.data).slice(0, 100)}`;
      if (ctx.json) ctx.out(`${JSON.stringify(e)}\n`);
      else ctx.out(`${time(ev.at)}  ${ev.type.padEnd(12)} ${ev.jobId ?? '-'}${detail}\n`);
      if (seen >= count) finish();
    });
    await ctx.ops.live.start();
    ctx.note(
      `[mq] tailing ${queue}${Number.isFinite(count) ? ` for ${count} event(s)` : ''} (Ctrl-C to stop)`,
    );
    await Promise.race([done, ctx.interrupted]);
    stop();
    return 0;
  },
};
