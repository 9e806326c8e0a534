import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent } from '../operations/live-plane.js';
import type { Operations } from '../operations/operations.js';

/** Comment frames keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * The live plane over SSE: job events as `event: job` (id = the plane's sequence, so
 * `Last-Event-ID` resumes), and the shared counts snapshot as `event: counts` every
 * `countsMs` — computed once per interval for all viewers, never per client.
 */
export function eventStream(c: Context, operations: Operations, countsMs: number): Response {
  const backendFilter = c.req.query('backend');
  const queueFilter = c.req.query('queue');
  const last = Number.parseInt(c.req.header('last-event-id') ?? '', 10);
  return streamSSE(c, async (stream) => {
    await operations.live.start();
    const queue: LiveEvent[] = [];
    let wake: (() => void) | undefined;
    const stop = operations.live.listen(
      (e) => {
        if (backendFilter !== undefined && e.backend !== backendFilter) return;
        if (queueFilter !== undefined && e.event.queue !== queueFilter) return;
        queue.push(e);
        wake?.();
      },
      Number.isSafeInteger(last) ? last : undefined,
    );
    let aborted = false;
    stream.onAbort(() => {
      aborted = true;
      stop();
      wake?.();
    });
    let nextCounts = 0;
    let nextBeat = Date.now() + HEARTBEAT_MS;
    while (!aborted) {
      while (queue.length > 0) {
        const e = queue.shift() as LiveEvent;
        await stream.writeSSE({
          id: String(e.seq),
          event: 'job',
          data: JSON.stringify({ backend: e.backend, ...e.event }),
        });
      }
      const now = Date.now();
      if (now >= nextCounts) {
        nextCounts = now + countsMs;
        const names = backendFilter
          ? [backendFilter]
          : operations.backends.all().map((b) => b.name);
        const snaps = await Promise.all(names.map((n) => operations.snapshots.get(n)));
        const queues = snaps
          .flatMap((s) => s.queues)
          .filter((q) => queueFilter === undefined || q.queue === queueFilter);
        await stream.writeSSE({ event: 'counts', data: JSON.stringify({ at: now, queues }) });
      }
      if (now >= nextBeat) {
        nextBeat = now + HEARTBEAT_MS;
        await stream.writeSSE({ event: 'ping', data: String(now) });
      }
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, Math.max(10, Math.min(nextCounts, nextBeat) - Date.now()));
      });
      wake = undefined;
    }
    stop();
  });
}
