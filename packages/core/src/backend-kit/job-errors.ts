import type { JobErrorInfo, QueueEventInput } from '../contract/index.js';

/** The error a job fails with after stalling more than `maxStalls` times (every backend). */
export const STALLED_ERROR: Readonly<JobErrorInfo> = Object.freeze({
  name: 'StalledError',
  message: 'job stalled more than maxStalls times',
});

/** The error `cancel` fails a waiting or delayed job with (every backend). */
export const CANCELLED_ERROR: Readonly<JobErrorInfo> = Object.freeze({
  name: 'CancelledError',
  message: 'cancelled',
});

/**
 * The bus events of a stalled-recovery pass, the same whoever ran it (a worker or the
 * scheduler): `stalled` for every job, and `failed` with the `STALLED_ERROR` for those
 * past `maxStalls`.
 */
export function stalledEvents(
  recovered: string[],
  failed: string[],
  at: number,
): QueueEventInput[] {
  const out: QueueEventInput[] = recovered.map((jobId) => ({ type: 'stalled', jobId, at }));
  for (const jobId of failed) {
    out.push({ type: 'stalled', jobId, at });
    out.push({
      type: 'failed',
      jobId,
      at,
      data: { error: STALLED_ERROR.message, name: STALLED_ERROR.name },
    });
  }
  return out;
}
