import { type Backend, BackendTimeoutError, Queue, Worker } from '@mq/core';
import { afterEach, describe, expect, it } from 'vitest';
import { HoldProxy } from './support/hold-proxy.js';

export { HoldProxy };
import { uniqueName } from './support/names.js';
import { waitFor } from './support/wait-for.js';

/** Options of {@link runConnectionFaults}. */
export interface ConnectionFaultOptions {
  /** Shown in the describe title. */
  name: string;
  /** Where the real server listens. */
  target: { host: string; port: number };
  /**
   * A backend whose connections go to `127.0.0.1:port` (the proxy), with short deadlines
   * (about 500 ms) so the test is quick. Each call makes a new backend.
   */
  createBackend: (port: number) => Backend | Promise<Backend>;
  /** A backend straight to the server, to add and inspect jobs. */
  createDirectBackend: () => Backend | Promise<Backend>;
}

/**
 * Connection faults a backend must survive over a real socket: when its connection
 * hangs (bytes held, socket open), a worker says so with an `error` naming the backend,
 * stops claiming, and both `worker.close()` and `backend.close()` return by their
 * deadlines; the jobs it held are run again elsewhere — none is lost.
 */
export function runConnectionFaults(o: ConnectionFaultOptions): void {
  describe(`@mq/conformance connection faults: ${o.name}`, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    });

    it('a hung connection is reported, close() returns by its timeout, and no job is lost', async () => {
      const proxy = await new HoldProxy(o.target.host, o.target.port).start();
      cleanups.push(() => proxy.close());
      const direct = await o.createDirectBackend();
      cleanups.push(() => direct.close());
      await direct.ready();
      const q = new Queue(uniqueName('hang'), { backend: direct });
      cleanups.push(() => direct.admin.obliterate(q.name, true));
      const proxied = await o.createBackend(proxy.port);
      const errors: unknown[] = [];
      let started = 0;
      const w = new Worker(
        q.name,
        async () => {
          started++;
          await new Promise((r) => setTimeout(r, 200));
        },
        { backend: proxied, concurrency: 2, leaseMs: 1000, callTimeoutMs: 500, idleWaitMs: 200 },
      );
      w.on('error', (err) => errors.push(err));
      await q.addBulk(Array.from({ length: 4 }, (_, i) => ({ name: 'j', data: i })));
      await waitFor(() => started >= 2, 10_000, 'jobs started through the proxy');
      proxy.hold();
      await waitFor(
        () => errors.some((e) => e instanceof BackendTimeoutError),
        10_000,
        'a BackendTimeoutError from the worker',
      );
      expect((errors.find((e) => e instanceof BackendTimeoutError) as Error).message).toContain(
        proxied.name,
      );
      let t0 = Date.now();
      await w.close({ timeoutMs: 500 });
      expect(Date.now() - t0).toBeLessThan(500 + 2000 + 1000);
      t0 = Date.now();
      await proxied.close();
      // The backend's own deadlines (command / query timeouts) bound its close too.
      expect(Date.now() - t0).toBeLessThan(15_000);

      // Leases held through the hung socket expire; a healthy worker runs every job.
      const healthy = new Worker(q.name, async () => 'ok', {
        backend: direct,
        concurrency: 4,
        stalledIntervalMs: 200,
        leaseMs: 1000,
      });
      cleanups.push(() => healthy.close({ timeoutMs: 0 }));
      await waitFor(
        async () => (await q.getCounts()).completed === 4,
        15_000,
        'every job completed',
      );
    }, 60_000);
  });
}
