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

/** The server killed hard and restarted once, mid-load. */
const serverRestart: Scenario = {
  id: 'server-restart',
  title: 'server restart',
  skip: (t) => needsSharing(t) ?? (t.restartServer ? null : 'no server to restart'),
  async inject(ctx) {
    await pause(2500);
    const at = Date.now();
    await ctx.target.restartServer!.run();
    ctx.faults.push({ label: ctx.target.restartServer!.label, at, end: Date.now() });
  },
};

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

/** Every scenario, in table order. */
export const SCENARIOS: readonly Scenario[] = [workerKill, serverRestart, connectionDrop];
