import { type Backend, Queue } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest, type Served, serveAdmin, TOKENS, until } from './harness.js';

/** Reads SSE frames from a streaming fetch body. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const ctrl = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${TOKENS.viewer}`, ...headers },
    signal: ctrl.signal,
  });
  const frames: { id?: string; event?: string; data: string }[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const raw = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const f: { id?: string; event?: string; data: string } = { data: '' };
          for (const line of raw.split('\n')) {
            if (line.startsWith('id: ')) f.id = line.slice(4);
            else if (line.startsWith('event: ')) f.event = line.slice(7);
            else if (line.startsWith('data: ')) f.data += line.slice(6);
          }
          frames.push(f);
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return { res, frames, close: () => ctrl.abort() };
}

for (const under of backendsUnderTest()) {
  describe.skipIf(under.skip !== undefined)(`SSE live plane on ${under.name}`, () => {
    let backend: Backend;
    let served: Served;
    const qn = `live-${under.name}`;
    let queue: Queue;

    beforeAll(async () => {
      backend = await under.create();
      queue = new Queue(qn, { backend });
      await queue.add('seed', {});
      served = await serveAdmin({ backends: { main: backend } });
    });
    afterAll(async () => {
      await queue?.close();
      await served?.close();
      await under.cleanup();
    });

    it('refuses anonymous streams', async () => {
      const res = await fetch(`${served.url}/api/events`);
      expect(res.status).toBe(401);
    });

    it('fans one backend subscription out to many viewers, with counts and resume', async () => {
      const streams = await Promise.all(
        Array.from({ length: 5 }, () => openStream(`${served.url}/api/events?queue=${qn}`)),
      );
      expect(
        streams.every((s) => s.res.headers.get('content-type')?.startsWith('text/event-stream')),
      ).toBe(true);
      await until(
        () => streams.every((s) => s.frames.some((f) => f.event === 'counts')),
        5000,
        'counts frames',
      );
      const counts = JSON.parse(streams[0]!.frames.find((f) => f.event === 'counts')!.data);
      expect(counts.queues[0]).toMatchObject({ queue: qn, counts: { waiting: 1 } });
      await served.admin.operations.live.start();
      const added = await queue.add('hello', { n: 1 });
      await until(
        () =>
          streams.every((s) =>
            s.frames.some((f) => f.event === 'job' && JSON.parse(f.data).jobId === added.id),
          ),
        5000,
        'the added event on every stream',
      );
      // One subscription for the one queue, however many viewers.
      expect(served.admin.operations.live.subscriptions).toBe(1);
      const frame = streams[0]!.frames.find(
        (f) => f.event === 'job' && JSON.parse(f.data).jobId === added.id,
      )!;
      expect(JSON.parse(frame.data)).toMatchObject({ type: 'added', queue: qn, backend: 'main' });
      for (const s of streams) s.close();
      // Resume: events after the last seen id are replayed.
      const second = await queue.add('again', {});
      const resumed = await openStream(`${served.url}/api/events?queue=${qn}`, {
        'last-event-id': frame.id!,
      });
      await until(
        () =>
          resumed.frames.some((f) => f.event === 'job' && JSON.parse(f.data).jobId === second.id),
        5000,
        'the replayed event',
      );
      expect(
        resumed.frames.some((f) => f.event === 'job' && JSON.parse(f.data).jobId === added.id),
      ).toBe(false);
      resumed.close();
    });
  });
}
