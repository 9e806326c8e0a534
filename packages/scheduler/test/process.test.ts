import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue, sleep } from '@mq/core';
import { resolveService } from '@mq/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { backendUnderTest } from './backends.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function startScheduler(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  // Ready when it prints its startup line.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mq-scheduler did not start: ${err}`)), 15_000);
    child.stdout?.once('data', (d) => {
      clearTimeout(timer);
      expect(String(d)).toMatch(/^mq-scheduler .* queues \[/);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`mq-scheduler exited with ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

for (const kind of ['redis', 'postgres'] as const) {
  const svc = await resolveService(kind);
  describe.skipIf(svc.skip !== undefined)(`mq-scheduler process on ${kind}`, () => {
    const under = backendUnderTest(svc.url ?? '');
    afterAll(() => under.cleanup());

    it('two processes, one SIGKILLed and restarted: schedules continue, no tick fires twice', async () => {
      const backend = await under.create();
      await backend.ready();
      const queueName = `proc-${kind}`;
      const queue = new Queue(queueName, { backend, events: false });
      const every = 100;
      await queue.upsertRepeatable('beat', { every }, { name: 'beat' });
      const args = [
        ...under.cliArgs,
        '--queues',
        queueName,
        '--scan-interval',
        '20',
        '--retention-interval',
        '0',
      ];
      const a = await startScheduler(args);
      const b = await startScheduler(args);
      await sleep(1500);
      a.kill('SIGKILL');
      await exited(a);
      await sleep(500);
      const a2 = await startScheduler(args);
      await sleep(1500);
      // Then both die: nothing fires while they are down, and the restart skips the gap.
      b.kill('SIGKILL');
      a2.kill('SIGKILL');
      await Promise.all([exited(b), exited(a2)]);
      await sleep(1500); // longer than the 1 s missed-tick tolerance: these ticks are skipped
      const a3 = await startScheduler(args);
      await sleep(800);
      a3.kill('SIGTERM');
      expect(await exited(a3)).toBe(0);

      const jobs = await queue.getJobs('waiting', { limit: 10_000 });
      const ticks = jobs
        .map((j) => Number(j.id.slice('repeat:beat:'.length)))
        .sort((x, y) => x - y);
      const [schedule] = await queue.listRepeatables();
      // A tick fired twice would count twice in runCount but add one job (same tick id).
      expect(schedule?.runCount).toBe(ticks.length);
      expect(new Set(ticks).size).toBe(ticks.length);
      for (let i = 1; i < ticks.length; i++) expect((ticks[i]! - ticks[i - 1]!) % every).toBe(0);
      // While one process was killed, the other kept every tick: no gap in the first 3.5 s.
      const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
      expect(gaps.filter((g) => g > every)).toHaveLength(1); // only the full outage
      expect(ticks.length).toBeGreaterThanOrEqual(35);
      await backend.close();
    }, 60_000);
  });
}
