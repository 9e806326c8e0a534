/** Resolves after `ms`. For short windows only: bounds come from the suite's timing. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function describeValue(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.slice(0, 500);
  } catch {
    return String(value);
  }
}

/**
 * Polls `predicate` until it returns a truthy value and returns that value. Throws after
 * `timeoutMs` with `what` and the last value seen, so a failure says what never happened.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeoutMs: number,
  what = 'condition',
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await predicate();
    if (last) return last as NonNullable<T>;
    if (Date.now() >= deadline) break;
    await sleep(Math.min(intervalMs, deadline - Date.now()));
  }
  throw new Error(
    `waitFor timed out after ${timeoutMs} ms waiting for: ${what} (last value: ${describeValue(last)})`,
  );
}

/** Waits until job `id` of `queue` is in `state` and returns it. */
export function waitForState<J extends { state: string }>(
  queue: { getJob(id: string): Promise<J | null> },
  id: string,
  state: string,
  timeoutMs: number,
): Promise<J> {
  return waitFor(
    async () => {
      const j = await queue.getJob(id);
      return j?.state === state ? j : null;
    },
    timeoutMs,
    `job ${id} ${state}`,
  );
}
