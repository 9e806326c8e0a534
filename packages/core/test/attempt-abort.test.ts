import { describe, expect, it } from 'vitest';
import { AttemptAbort } from '../src/worker/attempt-abort.js';

describe('AttemptAbort', () => {
  it('a signal read after the abort is already aborted, with the reason', () => {
    const a = new AttemptAbort();
    const reason = new Error('timed out');
    a.abort(reason);
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe(reason);
  });

  it('a signal read before the abort fires once, with the first reason', () => {
    const a = new AttemptAbort();
    const seen: unknown[] = [];
    a.signal.addEventListener('abort', () => seen.push(a.signal.reason));
    const first = new Error('cancelled');
    a.abort(first);
    a.abort(new Error('closed'));
    expect(seen).toEqual([first]);
  });

  it('race ends the attempt on abort even when the work never settles', async () => {
    const a = new AttemptAbort();
    const raced = a.race(new Promise<never>(() => {}));
    const reason = new Error('lease lost');
    a.abort(reason);
    await expect(raced).rejects.toBe(reason);
  });

  it('race passes results and errors through, and rejects at once when already aborted', async () => {
    await expect(new AttemptAbort().race(Promise.resolve(7))).resolves.toBe(7);
    await expect(new AttemptAbort().race(7)).resolves.toBe(7);
    const err = new Error('boom');
    await expect(new AttemptAbort().race(Promise.reject(err))).rejects.toBe(err);
    const a = new AttemptAbort();
    a.abort('closed');
    await expect(a.race(Promise.resolve(1))).rejects.toBe('closed');
  });

  it('the processor context shows the signal only, and a spread copy keeps it', () => {
    const a = new AttemptAbort();
    const ctx = a.context();
    expect(Object.keys(ctx)).toEqual(['signal']);
    expect('abort' in ctx || 'race' in ctx).toBe(false);
    const copy = { ...ctx };
    a.abort('closed');
    expect(copy.signal.aborted).toBe(true);
    expect(ctx.signal).toBe(copy.signal);
  });
});
