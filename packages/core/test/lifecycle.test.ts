import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../src/backend-kit/index.js';

function lifecycle(failures: number) {
  const calls = { open: 0, shut: 0 };
  const l = new Lifecycle({
    open: async () => {
      calls.open++;
      if (calls.open <= failures) throw new Error(`down ${calls.open}`);
    },
    shut: async () => {
      calls.shut++;
    },
    closedError: () => new Error('closed'),
  });
  return { l, calls };
}

describe('Lifecycle', () => {
  it('shares one open between concurrent ready() calls', async () => {
    const { l, calls } = lifecycle(0);
    await Promise.all([l.ready(), l.ready(), l.ready()]);
    await l.ready();
    expect(calls.open).toBe(1);
  });

  it('tries again after a failed open instead of keeping the failure', async () => {
    const { l, calls } = lifecycle(2);
    await expect(l.ready()).rejects.toThrow('down 1');
    await expect(l.ready()).rejects.toThrow('down 2');
    await l.ready();
    expect(calls.open).toBe(3);
  });

  it('close is idempotent and refuses ready() afterwards', async () => {
    const { l, calls } = lifecycle(0);
    await l.ready();
    await Promise.all([l.close(), l.close()]);
    await l.close();
    expect(calls.shut).toBe(1);
    expect(l.isClosed).toBe(true);
    await expect(l.ready()).rejects.toThrow('closed');
  });
});
