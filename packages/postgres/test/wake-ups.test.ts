import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAll, lease, never, settlesWithin, sleep, sql, svc, TestSchema } from './helpers.js';

const t = new TestSchema('wake');
let n = 0;
const qname = () => `q${++n}`;

describe.skipIf(svc.skip !== undefined)('postgres wake-ups (LISTEN/NOTIFY)', () => {
  beforeAll(() => t.setup());
  afterAll(() => t.teardown());

  it('an add on another backend wakes an idle waiter', async () => {
    const worker = await t.backend();
    const producer = await t.backend();
    const q = qname();
    await lease(worker, q);
    const waiting = worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    expect(await settlesWithin(waiting, 150)).toBe(false);
    await addAll(producer, q, [{}]);
    expect(await settlesWithin(waiting, 1000)).toBe(true);
  });

  it('a notification between an empty reserve and the wait is not lost', async () => {
    const worker = await t.backend();
    const q = qname();
    await lease(worker, q);
    await addAll(worker, q, [{}]);
    await sleep(50);
    const t0 = Date.now();
    await worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(50);
  });

  it('wakes when the earliest delayed job is due (no scanner)', async () => {
    const b = await t.backend();
    const q = qname();
    await addAll(b, q, [{ delay: 300 }]);
    // Let the add's own notification arrive first: it is a (fine) spurious wake-up.
    await sleep(50);
    await lease(b, q);
    const t0 = Date.now();
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 5000 });
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThan(200);
    expect(waited).toBeLessThan(1000);
    expect(await lease(b, q)).toHaveLength(1);
  });

  it('resolves on abort, on maxWaitMs, on resume and when the backend closes', async () => {
    const b = await t.backend();
    const q = qname();
    await lease(b, q);
    const ac = new AbortController();
    const aborted = b.jobs.waitForWork(q, { signal: ac.signal, maxWaitMs: 10_000 });
    ac.abort();
    expect(await settlesWithin(aborted, 50)).toBe(true);
    const t0 = Date.now();
    await b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 100 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);

    await b.admin.setPaused(q, true);
    await lease(b, q);
    const resumed = b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    expect(await settlesWithin(resumed, 100)).toBe(false);
    await (await t.backend()).admin.setPaused(q, false);
    expect(await settlesWithin(resumed, 1000)).toBe(true);

    await lease(b, q);
    const closing = b.jobs.waitForWork(q, { signal: never(), maxWaitMs: 10_000 });
    await b.close();
    expect(await settlesWithin(closing, 100)).toBe(true);
  });

  it('after pg_terminate_backend on the listener, workers still pick up new jobs within seconds', async () => {
    const worker = await t.backend({ reconnect: { initialMs: 50, maxMs: 500 } });
    const producer = await t.backend();
    const q = qname();
    const pid = worker.listener.pid;
    expect(pid).toBeTypeOf('number');
    const [killed] = await sql<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(killed!.ok).toBe(true);
    // The listener reconnects by itself (a new backend pid).
    for (let i = 0; i < 100 && (worker.listener.pid === pid || !worker.listener.isUp); i++) {
      await sleep(20);
    }
    expect(worker.listener.isUp).toBe(true);
    expect(worker.listener.pid).not.toBe(pid);
    await lease(worker, q);
    const waiting = worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 30_000 });
    await addAll(producer, q, [{}]);
    expect(await settlesWithin(waiting, 2000)).toBe(true);
    expect(await lease(worker, q)).toHaveLength(1);
  });

  it('while the listener is down, waits fall back to a bounded poll', async () => {
    const worker = await t.backend({ pollIntervalMs: 200, reconnect: { initialMs: 60_000 } });
    const q = qname();
    await sql('SELECT pg_terminate_backend($1)', [worker.listener.pid]);
    for (let i = 0; i < 50 && worker.listener.isUp; i++) await sleep(10);
    expect(worker.listener.isUp).toBe(false);
    await lease(worker, q);
    const t0 = Date.now();
    await worker.jobs.waitForWork(q, { signal: never(), maxWaitMs: 30_000 });
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(1000);
  });
});
