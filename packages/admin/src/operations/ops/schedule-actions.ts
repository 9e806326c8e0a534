import { Type } from '@sinclair/typebox';
import { NotFoundError } from '../../errors.js';
import { defineOperation, type Operation, pick } from '../define.js';
import { QueueTarget, Reason, Req } from '../schemas.js';

const request = Req({
  ...QueueTarget,
  id: Type.String({ minLength: 1, maxLength: 256 }),
  reason: Reason,
});
const result = Type.Object({ dryRun: Type.Literal(false), count: Type.Integer() });

function scheduleAction(
  verb: 'pause' | 'resume' | 'remove' | 'reset-drift',
  summary: string,
): Operation<typeof request, typeof result> {
  return defineOperation({
    id: `schedules.${verb === 'reset-drift' ? 'resetDrift' : verb}`,
    summary,
    role: 'operator',
    mutates: true,
    http: { method: 'POST', path: `/backends/{backend}/queues/{queue}/schedules/{id}/${verb}` },
    request,
    result,
    async run(ctx, req) {
      const { name } = pick(ctx, req.backend);
      // Through the core Queue, so the change publishes its `schedule` event with the
      // actor and reason, as the same call from code does.
      const q = ctx.queue(name, req.queue);
      const by = ctx.action(req.reason);
      const ok =
        verb === 'remove'
          ? await q.removeRepeatable(req.id, by)
          : verb === 'reset-drift'
            ? await q.resetRepeatableDrift(req.id, by)
            : await q.setRepeatablePaused(req.id, verb === 'pause', by);
      if (!ok) throw new NotFoundError('schedule', `${req.queue}/${req.id}`);
      return { dryRun: false as const, count: 1 };
    },
  });
}

/** Pauses a durable schedule (no ticks fire until resumed). */
export const pauseSchedule = scheduleAction('pause', 'Pause a schedule.');
/** Resumes a paused schedule. */
export const resumeSchedule = scheduleAction('resume', 'Resume a schedule.');
/** Removes a durable schedule. */
export const removeSchedule = scheduleAction('remove', 'Remove a schedule.');
/** Starts a schedule's drift figures (max drift, late ticks) over. */
export const resetScheduleDrift = scheduleAction(
  'reset-drift',
  "Reset a schedule's drift figures.",
);
