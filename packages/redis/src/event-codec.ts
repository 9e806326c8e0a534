import type { QueueEvent, QueueEventInput, QueueEventType } from '@mq/core';

/**
 * How events sit in a queue's stream: one entry per `publish` chunk (field `e`, a JSON
 * array of `[type, jobId|null, at, data|null]`), with entry ids `0-<n>` that Redis 7
 * assigns (`XADD key 0-*`). Event k of entry n gets the id `n × 1000 + k`: plain
 * increasing integers, one XADD per batch instead of one per event.
 */

/** Events per stream entry (< {@link ID_STRIDE}). */
export const EVENTS_PER_ENTRY = 100;
/** Event ids per stream entry. */
const ID_STRIDE = 1000;

type Packed = [QueueEventType, string | null, number, Record<string, unknown> | null];

/** The `e` field of one entry. */
export function encodeEntry(events: readonly QueueEventInput[]): string {
  return JSON.stringify(events.map((e): Packed => [e.type, e.jobId ?? null, e.at, e.data ?? null]));
}

/** The events of entry `streamId` with an id above `after` (a number, or -1 for all). */
export function decodeEntry(
  queue: string,
  streamId: string,
  fields: string[],
  after: number,
): QueueEvent[] {
  const n = Number(streamId.slice(streamId.indexOf('-') + 1));
  const at = fields.indexOf('e');
  const packed = at >= 0 ? (JSON.parse(fields[at + 1] as string) as Packed[]) : [];
  const out: QueueEvent[] = [];
  packed.forEach(([type, jobId, time, data], k) => {
    const id = n * ID_STRIDE + k;
    if (id <= after) return;
    const event: QueueEvent = { id: String(id), queue, type, at: time };
    if (jobId !== null) event.jobId = jobId;
    if (data !== null) event.data = data;
    out.push(event);
  });
  return out;
}

/**
 * Where a read for events after event id `fromId` starts: XREAD is exclusive, so the
 * entry holding `fromId` is included by starting after the entry before it; events up
 * to `fromId` in it are skipped by {@link decodeEntry}.
 */
export function readStartFor(fromId: string): { streamId: string; after: number } {
  const id = Number(fromId);
  const entry = Math.floor(id / ID_STRIDE);
  return { streamId: `0-${Math.max(0, entry - 1)}`, after: id };
}
