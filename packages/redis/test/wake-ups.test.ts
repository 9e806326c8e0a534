import { afterAll, describe, expect, it } from 'vitest';
import {
  addAll,
  backend,
  closeAll,
  leaseOne,
  settlesWithin,
  sleep,
  svc,
  uniquePrefix,
} from './helpers.js';

const prefix = uniquePrefix('wake');
let n = 0;
const qname = () => `q${++n}`;
const never = () => new AbortController().signal;

describe.skipIf(svc.skip !== undefined)('redis backend: waitForWork', () => {
  afterAll(() => closeAll(prefix));

  it('wakes an idle waiter in another instance when a job is added', async () => {
    const worker = backend(prefix);
    const producer = backend(prefix);
    const q = qname();
    // A first wait may return at once on a marker left by earlier writes; settle that.
    await worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 50 });
    const waiting = worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    expect(await settlesWithin(waiting, 100)).toBe(false);
    await addAll(producer, q, [{}]);
    expect(await settlesWithin(waiting, 1000)).toBe(true);
  });

  it('wakes when the earliest delayed job is due, not before', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ delay: 300 }]);
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 50 });
    const t0 = Date.now();
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 5000 });
    const waited = Date.now() - t0;
    expect(waited).toBeLessThan(1500);
    expect((await leaseOne(b, q)).job.state).toBe('active');
  });

  it('wakes a waiter when a sooner delayed job arrives', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ delay: 60_000 }]);
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 50 });
    const waiting = b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    expect(await settlesWithin(waiting, 100)).toBe(false);
    await addAll(backend(prefix), q, [{ delay: 1 }]);
    expect(await settlesWithin(waiting, 1000)).toBe(true);
  });

  it('resolves promptly on abort and on maxWaitMs, and when the backend closes', async () => {
    const b = backend(prefix);
    const q = qname();
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 50 });
    const ac = new AbortController();
    const aborted = b.jobs.waitForWork(q, { signal: ac.signal, maxWaitMs: 10_000 });
    await sleep(20);
    ac.abort();
    expect(await settlesWithin(aborted, 50)).toBe(true);
    const t0 = Date.now();
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 120 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    const pending = b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    await b.close();
    expect(await settlesWithin(pending, 100)).toBe(true);
  });

  it('does not wake for a paused queue, and wakes on resume', async () => {
    const b = backend(prefix);
    const q = qname();
    await b.admin.setPaused(q, true);
    await addAll(b, q, [{}]);
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 50 });
    const waiting = b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    expect(await settlesWithin(waiting, 150)).toBe(false);
    await backend(prefix).admin.setPaused(q, false);
    expect(await settlesWithin(waiting, 1000)).toBe(true);
  });
});
