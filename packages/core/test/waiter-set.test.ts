import { describe, expect, it } from 'vitest';
import { WaiterSet } from '../src/backend-kit/index.js';

const never = () => new AbortController().signal;
const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('WaiterSet', () => {
  it('wake resolves every waiter of that queue only, and bumps its epoch', async () => {
    const set = new WaiterSet();
    const a = set.wait('a', never(), 60_000);
    const a2 = set.wait('a', never(), 60_000);
    const b = set.wait('b', never(), 60_000);
    expect(set.waiting('a')).toBe(2);
    set.wake('a');
    expect(await settled(a)).toBe(true);
    expect(await settled(a2)).toBe(true);
    expect(await settled(b)).toBe(false);
    expect(set.epoch('a')).toBe(1);
    expect(set.epoch('b')).toBe(0);
    expect(set.waiting('a')).toBe(0);
    set.close();
    expect(await settled(b)).toBe(true);
  });

  it('a wait ends by its timeout, by abort, and at once when already aborted or closed', async () => {
    const set = new WaiterSet();
    const started = Date.now();
    await set.wait('q', never(), 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const ac = new AbortController();
    const aborted = set.wait('q', ac.signal, 60_000);
    ac.abort();
    expect(await settled(aborted)).toBe(true);
    expect(await settled(set.wait('q', ac.signal, 60_000))).toBe(true);
    set.close();
    expect(await settled(set.wait('q', never(), 60_000))).toBe(true);
    expect(set.waiting('q')).toBe(0);
  });

  it('shorten ends a wait sooner, never later', async () => {
    const set = new WaiterSet();
    const parked = set.park('q', never(), 60_000);
    parked.shorten(20);
    const started = Date.now();
    await parked.done;
    expect(Date.now() - started).toBeLessThan(5_000);
    const short = set.park('q', never(), 20);
    short.shorten(60_000); // no effect: it still ends by its own 20 ms
    await short.done;
    const now = set.park('q', never(), 60_000);
    now.shorten(0);
    expect(await settled(now.done)).toBe(true);
  });

  it('removes its abort listener when a wait ends otherwise (no leak over many waits)', async () => {
    const set = new WaiterSet();
    const ac = new AbortController();
    let listeners = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    const remove = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    ac.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 100; i++) {
      const p = set.wait('q', ac.signal, 60_000);
      set.wake('q');
      await p;
    }
    expect(listeners).toBe(0);
  });
});
