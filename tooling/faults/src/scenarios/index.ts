import type { ServerFault } from '../targets.js';
import { pause, type Scenario } from './scenario.js';

const needsSharing = (t: { notShared?: string }) => t.notShared ?? null;

/** `kill -9` of a random worker process every 1–2 s; a replacement starts at once. */
const workerKill: Scenario = {
  id: 'worker-kill',
  title: 'kill -9 of a worker every 1-2 s',
  skip: needsSharing,
  async inject(ctx) {
    await pause(1000);
    while (Date.now() + 1000 < ctx.until) {
      const live = ctx.children.running('worker');
      const victim = live[Math.floor(Math.random() * live.length)];
      if (victim) {
        const at = Date.now();
        await ctx.children.kill9(victim);
        ctx.faults.push({ label: 'kill -9 worker', at, end: Date.now(), pid: victim.pid });
        ctx.spawnWorker();
      }
      await pause(1000 + Math.random() * 1000);
    }
  },
};

/** One server fault of a kind, mid-load. */
function serverFault(id: string, title: string, kind: ServerFault): Scenario {
  return {
    id,
    title,
    skip: (t) => needsSharing(t) ?? (t.server?.[kind] ? null : `no ${kind} server fault`),
    async inject(ctx) {
      await pause(2500);
      const fault = ctx.target.server![kind]!;
      const at = Date.now();
      await fault.run();
      ctx.faults.push({ label: fault.label, at, end: Date.now() });
    },
  };
}

/** Every client connection dropped by the server, three times, 2 s apart. */
const connectionDrop: Scenario = {
  id: 'conn-drop',
  title: 'connections dropped x3',
  skip: (t) => needsSharing(t) ?? (t.dropConnections ? null : 'no server-side connection kill'),
  async inject(ctx) {
    await pause(1500);
    for (let i = 0; i < 3 && Date.now() + 500 < ctx.until; i++) {
      const at = Date.now();
      await ctx.target.dropConnections!.run();
      ctx.faults.push({ label: ctx.target.dropConnections!.label, at, end: Date.now() });
      await pause(2000);
    }
  },
};

/** SIGTERM of a random worker every 2 s (a replacement starts at once): jobs finish in place. */
const gracefulStop: Scenario = {
  id: 'sigterm',
  title: 'SIGTERM of a worker every 2 s',
  // Jobs of 100 ms, so that every SIGTERM lands mid-job.
  load: { jobMs: 100 },
  skip: needsSharing,
  async inject(ctx) {
    await pause(1000);
    while (Date.now() + 1000 < ctx.until) {
      const live = ctx.children.running('worker');
      const victim = live[Math.floor(Math.random() * live.length)];
      if (victim) {
        const at = Date.now();
        ctx.spawnWorker();
        await ctx.children.terminate(victim, 10_000);
        ctx.faults.push({
          label: 'SIGTERM worker',
          at,
          end: Date.now(),
          pid: victim.pid,
          graceful: true,
        });
      }
      await pause(2000);
    }
  },
};

/**
 * The connections of one worker black-holed (no data either way, nothing closed) for
 * longer than its lease: its jobs must run elsewhere, its late completions be refused.
 */
const blackHole: Scenario = {
  id: 'black-hole',
  title: 'one worker black-holed for 8 s',
  proxied: true,
  // Jobs of 100 ms: the black-holed worker holds running jobs, not only settlements.
  load: { jobMs: 100 },
  skip: (t) => needsSharing(t) ?? (t.serverPort === undefined ? 'no TCP server' : null),
  async inject(ctx) {
    await pause(2500);
    const victim = ctx.proxied[0];
    if (!victim) return;
    const at = Date.now();
    victim.proxy.blackhole();
    await pause(8000);
    victim.proxy.heal();
    ctx.faults.push({ label: 'black-holed 8 s', at, end: Date.now(), pid: victim.worker.pid });
  },
};

const PIN_MS = 15_000;

/**
 * PostgreSQL: a session idle in transaction for 15 s at a steady offered rate higher than
 * the other cells'. Notes the completion rate before, during and after, and the backlog.
 */
const idleInTransaction: Scenario = {
  id: 'idle-in-tx',
  title: 'session idle in transaction for 15 s',
  load: { perSecond: 500, jobMs: 5, loadMs: 30_000 },
  skip: (t) => needsSharing(t) ?? (t.pinHorizon ? null : 'no MVCC horizon to pin'),
  async inject(ctx) {
    let backlog = 0;
    const sample = async () => {
      const c = await ctx.admin.admin.counts(ctx.queue);
      backlog = Math.max(backlog, c.waiting);
      return { t: Date.now(), done: c.completed };
    };
    const rate = (a: { t: number; done: number }, b: { t: number; done: number }) =>
      Math.round(((b.done - a.done) * 1000) / (b.t - a.t));
    await pause(3000);
    const s0 = await sample();
    await pause(3000);
    const s1 = await sample();
    const close = await ctx.target.pinHorizon!();
    const at = Date.now();
    for (let i = 0; i < PIN_MS / 1000; i++) {
      await pause(1000);
      await sample();
    }
    const s2 = await sample();
    await close();
    const end = Date.now();
    ctx.faults.push({ label: 'idle in transaction', at, end });
    const tail = Math.max(0, ctx.until - Date.now());
    await pause(tail);
    const s3 = await sample();
    ctx.notes.push(
      `completions/s: before ${rate(s0, s1)}, during ${rate(s1, s2)}, after ${rate(s2, s3)} ` +
        `(offered 500); most waiting ${backlog}`,
    );
  },
};

/** Every scenario, in table order. */
export const SCENARIOS: readonly Scenario[] = [
  workerKill,
  serverFault('server-kill', 'server killed hard and restarted', 'hard'),
  serverFault('server-restart', 'server restarted cleanly', 'soft'),
  serverFault('server-kill-everysec', 'server killed with appendfsync everysec', 'everysec'),
  serverFault('server-down-15s', 'server down for 15 s', 'outage'),
  connectionDrop,
  blackHole,
  gracefulStop,
  idleInTransaction,
];
