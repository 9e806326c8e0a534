import type { QueueEventInput } from '@mq/core';
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../src/event-codec.js';

describe('redis event entries', () => {
  it('round-trip types, ids with JSON-hostile characters, times and data', () => {
    const shared = Object.freeze({ workerId: 'host-1 "a"\\b' });
    const events: QueueEventInput[] = [
      { type: 'active', jobId: 'j"1\n', at: 1_795_000_000_000, data: shared },
      { type: 'completed', jobId: 'j"1\n', at: 1_795_000_000_001 },
      { type: 'active', jobId: '2', at: 1_795_000_000_002, data: shared },
      { type: 'paused', at: 1_795_000_000_003, data: { by: 'ops', n: [1, 2] } },
    ];
    const text = encodeEntry(events);
    expect(JSON.parse(text)).toHaveLength(4);
    const decoded = decodeEntry('q', '0-7', ['e', text], -1);
    expect(decoded).toEqual([
      {
        id: '7000',
        queue: 'q',
        type: 'active',
        jobId: 'j"1\n',
        at: 1_795_000_000_000,
        data: { workerId: 'host-1 "a"\\b' },
      },
      { id: '7001', queue: 'q', type: 'completed', jobId: 'j"1\n', at: 1_795_000_000_001 },
      {
        id: '7002',
        queue: 'q',
        type: 'active',
        jobId: '2',
        at: 1_795_000_000_002,
        data: { workerId: 'host-1 "a"\\b' },
      },
      {
        id: '7003',
        queue: 'q',
        type: 'paused',
        at: 1_795_000_000_003,
        data: { by: 'ops', n: [1, 2] },
      },
    ]);
  });
});
