import { MAX_TIMER_MS } from '../options/limits.js';

/**
 * Runs `fn` every `ms` (at most `MAX_TIMER_MS`), never two at once: against a hung
 * connection, calls must not pile up (each would take another pooled connection) while
 * the previous one never returns. `watch` wraps each call (e.g. with a deadline, whose
 * rejection is reported); the next one starts only after `fn`'s own promise settles.
 */
export function everyOneAtATime(
  ms: number,
  fn: () => Promise<unknown>,
  watch: (work: Promise<unknown>) => Promise<unknown>,
  onError: (err: unknown) => void,
): NodeJS.Timeout {
  let busy = false;
  return setInterval(
    () => {
      if (busy) return;
      busy = true;
      const work = fn().finally(() => {
        busy = false;
      });
      watch(work).catch(onError);
    },
    Math.min(ms, MAX_TIMER_MS),
  );
}
