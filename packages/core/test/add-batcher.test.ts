import { describe, expect, it } from 'vitest';
import { AddBatcher } from '../src/backend-kit/index.js';
import type { AddResult, NewJob } from '../src/index.js';

const job = (id: string): NewJob => ({
  id,
  name: 'n',
  payload: 'null',
  priority: 0,
  lifo: false,
  delay: 0,
  opts: { attempts: 1, removeOnComplete: false, removeOnFail: false },
});

/** A batcher whose backend call records the ids it was sent. */
function recording(fail = false) {
  const sent: string[][] = [];
  const batcher = new AddBatcher(async (_queue, jobs) => {
    sent.push(jobs.map((j) => j.id ?? ''));
    if (fail) throw new Error('down');
    return jobs.map((j): AddResult => ({ status: 'added', id: j.id ?? '' }));
  });
  return { sent, batcher };
}

describe('AddBatcher', () => {
  it('sends a tick of few adds as one call, per queue', async () => {
    const { sent, batcher } = recording();
    await Promise.all([
      batcher.add('a', [job('1')]),
      batcher.add('b', [job('2')]),
      batcher.add('a', [job('3'), job('4')]),
    ]);
    expect(sent).toEqual([['1', '3', '4'], ['2']]);
  });

  it('splits a tick of 8 jobs or more in two calls at a call boundary', async () => {
    const { sent, batcher } = recording();
    const results = await Promise.all([
      batcher.add('q', [job('1'), job('2'), job('3')]),
      batcher.add('q', [job('4'), job('5')]),
      batcher.add('q', [job('6'), job('7'), job('8')]),
    ]);
    expect(sent).toEqual([
      ['1', '2', '3', '4', '5'],
      ['6', '7', '8'],
    ]);
    expect(results.map((r) => r.map((x) => x.id))).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
      ['6', '7', '8'],
    ]);
  });

  it('rejects every add of a failed call', async () => {
    const { batcher } = recording(true);
    const settled = await Promise.allSettled([
      batcher.add('q', [job('1')]),
      batcher.add('q', [job('2')]),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
