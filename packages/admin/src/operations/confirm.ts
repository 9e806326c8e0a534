import { ConfirmationError } from '../errors.js';

/**
 * Refuses a destructive action that would now change more than the operator confirmed
 * (the dry run's count, sent back as `confirmCount`).
 */
export function assertConfirmed(
  action: string,
  count: number,
  confirmCount: number | undefined,
): void {
  if (confirmCount === undefined)
    throw new ConfirmationError(
      `${action} needs confirmCount: run it with dryRun: true, check the count (${count} now), and send that count back as confirmCount.`,
    );
  if (count > confirmCount)
    throw new ConfirmationError(
      `${action} would now change ${count} job(s), more than the ${confirmCount} confirmed. Run the dry run again and confirm the new count.`,
    );
}

/** Splits `ids` into batches of `size`. */
export function batches<T>(ids: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
