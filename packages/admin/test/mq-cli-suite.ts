import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Backend, Queue, Worker } from '@mq/core';
import { createPostgresBackend } from '@mq/postgres';
import { createRedisBackend } from '@mq/redis';
import { resolveService } from '@mq/test-services';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './harness.js';

// Each command runs as the built bin in a child process (no TTY: stdin is ignored), on a
// backend opened by URL with a key prefix / schema of its own, as an operator would.
const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(pkgDir, 'bin', 'mq.js');
const redis = await resolveService('redis');
const postgres = await resolveService('postgres');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `mq` with `args` against `url`; `onStderr` sees stderr as it comes. */
function mq(url: string, args: string[], onStderr?: (text: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: pkgDir,
      env: { ...process.env, MQ_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mq ${args.join(' ')} did not exit: ${stdout}${stderr}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const json = (r: Run) => JSON.parse(r.stdout);
const hasScript = spawnSync('script', ['--version']).status === 0;

/** A backend the suite runs on. */
export interface Target {
  name: string;
  skip: string | undefined;
  open(): { url: string; backend: Backend; cleanup(): Promise<void> };
}

/** The backends the suite runs on, by name. */
export const targets: Record<'redis' | 'postgres', Target> = {
  redis: {
    name: 'redis',
    skip: redis.skip,
    open() {
      const prefix = `mqcli-${randomBytes(4).toString('hex')}`;
      const backend = createRedisBackend({ url: redis.url ?? '', prefix });
      return {
        url: `${redis.url}?prefix=${prefix}`,
        backend,
        async cleanup() {
          let cursor = '0';
          do {
            const [next, keys] = await backend.client.scan(
              cursor,
              'MATCH',
              `${prefix}:*`,
              'COUNT',
              1000,
            );
            cursor = next;
            if (keys.length > 0) await backend.client.unlink(...keys);
          } while (cursor !== '0');
          await backend.close();
        },
      };
    },
  },
  postgres: {
    name: 'postgres',
    skip: postgres.skip,
    open() {
      const schema = `mqcli_${randomBytes(4).toString('hex')}`;
      const backend = createPostgresBackend({
        connectionString: postgres.url ?? '',
        schema,
        migrate: true,
      });
      return {
        url: `${postgres.url}?schema=${schema}`,
        backend,
        async cleanup() {
          await backend.close();
          const c = new pg.Client({ connectionString: postgres.url });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await c.end();
        },
      };
    },
  },
};

/**
 * Every `mq` command against one backend. Each backend's suite is its own test file so
 * vitest runs them in parallel workers.
 */
export function mqCliSuite(t: Target): void {
  describe(`mq on ${t.name}`, () => {
    if (t.skip !== undefined) {
      it.skip(`needs the service: ${t.skip}`, () => {});
      return;
    }
    const env = t.open();
    const { url, backend } = env;
    const run = (...args: string[]) => mq(url, args);
    let queue: Queue;
    let failedIds: string[] = [];
    let waitingIds: string[] = [];
    let delayedId = '';

    beforeAll(async () => {
      await backend.ready();
      queue = new Queue('cq', { backend });
      await queue.addBulk([
        ...[1, 2, 3].map((i) => ({ name: 'ok', data: { i } })),
        ...[11, 12].map((i) => ({ name: 'send', data: { i }, opts: { attempts: 1 } })),
      ]);
      const w = new Worker(
        'cq',
        async (job) => {
          if (job.name === 'send') throw new Error(`boom ${String((job.data as { i: number }).i)}`);
          return { done: true };
        },
        { backend, concurrency: 2, heartbeatIntervalMs: 100 },
      );
      await until(
        async () => {
          const c = await queue.getCounts();
          return c.completed === 3 && c.failed === 2;
        },
        15_000,
        'the seed jobs to settle',
      );
      await w.close();
      failedIds = (await queue.getJobs('failed')).map((j) => j.id).sort();
      waitingIds = (
        await queue.addBulk([
          { name: 'w', data: {} },
          { name: 'w', data: {} },
        ])
      ).map((j) => j.id);
      delayedId = (await queue.add('later', {}, { delay: 3_600_000 })).id;
      await queue.upsertRepeatable('digest', { every: 60_000 }, { name: 'digest', data: {} });
    }, 30_000);

    afterAll(async () => {
      await queue?.close();
      await env.cleanup();
    });

    it('queues: a table and the overview JSON, without the audit queue', async () => {
      const tab = await run('queues');
      expect(tab.code).toBe(0);
      expect(tab.stdout).toMatch(/^QUEUE\s+WAITING\s+ACTIVE\s+DELAYED\s+FAILED/);
      expect(tab.stdout).toMatch(/\ncq\s+2\s+0\s+1\s+2\s+3\s+no\s+0\s/);
      const j = await run('queues', '--json');
      expect(j.code).toBe(0);
      expect(json(j).queues.map((q: { queue: string }) => q.queue)).toEqual(['cq']);
      expect(json(j).queues[0]).toMatchObject({
        counts: { waiting: 2, delayed: 1, active: 0, completed: 3, failed: 2 },
        paused: false,
        workers: 0,
      });
    });

    it('jobs and job: filters, detail with the stack, exit 4 for a missing job', async () => {
      const f = await run('jobs', 'cq', '--state', 'failed', '--json');
      expect(f.code).toBe(0);
      expect(
        json(f)
          .jobs.map((j: { id: string }) => j.id)
          .sort(),
      ).toEqual(failedIds);
      const s = await run('jobs', 'cq', '--state', 'failed', '--search', 'boom 12');
      expect(s.stdout.trim().split('\n')).toHaveLength(2);
      expect(s.stdout).toContain('Error: boom 12');
      const d = await run('job', 'cq', failedIds[0] as string);
      expect(d.code).toBe(0);
      expect(d.stdout).toMatch(/state:\s+failed/);
      expect(d.stdout).toMatch(/error:\s+Error: boom 1[12]\n\s*Error: boom/);
      const dj = await run('job', 'cq', failedIds[0] as string, '--json');
      expect(json(dj).job).toMatchObject({ id: failedIds[0], state: 'failed', name: 'send' });
      const missing = await run('job', 'cq', 'no-such-job');
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/^mq: /);
    });

    it('a destructive action refuses without a TTY and without --yes; --dry-run writes nothing', async () => {
      const before = json(await run('audit', '--json')).records.length;
      const refused = await run('drain', 'cq');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('--yes');
      const dry = await run('drain', 'cq', '--dry-run', '--json');
      expect(dry.code).toBe(0);
      expect(json(dry)).toEqual({ dryRun: true, count: 2, exact: true, sample: expect.any(Array) });
      const dryTable = await run('remove', 'cq', ...waitingIds, '--dry-run');
      expect(dryTable.stdout).toMatch(
        /^dry run: would remove job\(s\) of cq: 2 \(nothing changed\)/,
      );
      const dryPause = await run('pause', 'cq', '--dry-run', '--json');
      expect(json(dryPause)).toMatchObject({ dryRun: true, count: 1 });
      expect((await queue.getCounts()).waiting).toBe(2);
      expect(await queue.isPaused()).toBe(false);
      // Neither a refusal before the layer nor a dry run leaves an audit record.
      expect(json(await run('audit', '--json')).records.length).toBe(before);
    });

    it('a mutation writes the same audit record as the dashboard, with the CLI principal and reason', async () => {
      const p = await run('pause', 'cq', '--reason', 'cli test pause', '--json');
      expect(p.code).toBe(0);
      expect(json(p)).toEqual({ dryRun: false, count: 0 });
      expect(await queue.isPaused()).toBe(true);
      const a = json(await run('audit', '--json', '--limit', '1')).records[0];
      expect(a).toMatchObject({
        action: 'queue.pause',
        role: 'admin',
        queue: 'cq',
        reason: 'cli test pause',
        outcome: 'ok',
        target: { queue: 'cq' },
      });
      expect(a.actor).toMatch(/^cli:.+@.+/);
      const tab = await run('audit');
      expect(tab.stdout).toMatch(/queue\.pause\s+cq\s+ok\s+0\s+cli test pause/);
      expect((await run('resume', 'cq')).stdout).toBe('resumed cq\n');
      expect(await queue.isPaused()).toBe(false);
    });

    it('--role viewer is refused (exit 5) and audited as forbidden', async () => {
      const r = await run('--role', 'viewer', 'pause', 'cq', '--reason', 'as viewer');
      expect(r.code).toBe(5);
      expect(await queue.isPaused()).toBe(false);
      const a = json(await run('audit', '--json', '--limit', '1')).records[0];
      expect(a).toMatchObject({ action: 'queue.pause', role: 'viewer', outcome: 'forbidden' });
    });

    it('doctor: the checks with playbook steps, exit 11 when a check fails', async () => {
      const j = await run('doctor', 'cq', '--observe', '0', '--json');
      expect(j.code).toBe(11);
      const checks = json(j).checks as { id: string; status: string; playbook: string }[];
      expect(checks.find((c) => c.id === 'live-workers')).toMatchObject({ status: 'fail' });
      const tab = await run('doctor', 'cq', '--observe', '0');
      expect(tab.code).toBe(11);
      expect(tab.stdout).toMatch(
        /live-workers\s+FAIL\s+No live worker heartbeats.*inspect waiting counts and worker heartbeats/,
      );
      expect((await run('doctor', 'nope', '--observe', '0')).code).toBe(4);
    });

    it('workers and schedules: tables, JSON, a confirmed removal', async () => {
      const w = await run('workers', '--json');
      expect(json(w)).toMatchObject({ workers: [], unattended: [{ queue: 'cq' }] });
      const s = await run('schedules', 'cq');
      expect(s.stdout).toMatch(/\ndigest\s+digest\s+no\s/);
      expect((await run('schedules', 'cq', 'remove', 'digest')).code).toBe(3);
      const p = await run('schedules', 'cq', 'pause', 'digest', '--json');
      expect(json(p)).toEqual({ dryRun: false, count: 1 });
      expect(json(await run('schedules', 'cq', '--json')).schedules[0]).toMatchObject({
        id: 'digest',
        paused: true,
      });
      expect((await run('schedules', 'cq', 'remove', 'digest', '--yes')).code).toBe(0);
      expect(json(await run('schedules', 'cq', '--json')).schedules).toEqual([]);
    });

    it('retry by state (previewed, confirmed), promote, remove and cancel by ids', async () => {
      const canary = await run(
        'canary-retry',
        'cq',
        '--size',
        '1',
        '--waves',
        '1',
        '--dry-run',
        '--json',
      );
      expect(json(canary)).toMatchObject({ dryRun: true, count: 1 });
      const bySearch = await run(
        'retry',
        'cq',
        '--search',
        'boom 11',
        '--since',
        '1h',
        '--dry-run',
        '--json',
      );
      expect(json(bySearch)).toMatchObject({ dryRun: true, count: 1 });
      const dry = await run('retry', 'cq', '--state', 'failed', '--dry-run');
      expect(dry.stdout).toMatch(/would retry job\(s\) of cq: 2 /);
      expect((await run('retry', 'cq', '--state', 'failed')).code).toBe(3);
      const r = await run('retry', 'cq', '--state', 'failed', '--yes', '--json');
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({ dryRun: false, count: 2 });
      expect((await queue.getCounts()).failed).toBe(0);
      const p = await run('promote', 'cq', delayedId, '--json');
      expect(json(p)).toEqual({ dryRun: false, count: 1, ids: [delayedId] });
      const rm = await run('remove', 'cq', waitingIds[0] as string, '--yes');
      expect(rm.stdout).toBe('remove job(s) of cq: 1\n');
      expect(await queue.getJob(waitingIds[0] as string)).toBeNull();
      const c = await run('cancel', 'cq', waitingIds[1] as string, '--yes', '--json');
      expect(json(c)).toMatchObject({ dryRun: false, count: 1 });
      expect((await queue.getJob(waitingIds[1] as string))?.state).toBe('failed');
      const a = json(await run('audit', '--json', '--limit', '4')).records.map(
        (x: { action: string; count?: number }) => [x.action, x.count],
      );
      expect(a).toEqual([
        ['jobs.cancel', 1],
        ['jobs.remove', 1],
        ['jobs.promote', 1],
        ['jobs.retry', 2],
      ]);
    });

    it('tail: live events until --count, as JSON lines', async () => {
      let added = false;
      const r = await mq(
        url,
        ['tail', 'cq', '--count', '2', '--type', 'added', '--json'],
        (err) => {
          if (!added && err.includes('tailing cq')) {
            added = true;
            void queue.addBulk([
              { name: 't1', data: {} },
              { name: 't2', data: {} },
            ]);
          }
        },
      );
      expect(r.code).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(lines.map((l) => [l.backend, l.event.queue, l.event.type])).toEqual([
        ['default', 'cq', 'added'],
        ['default', 'cq', 'added'],
      ]);
    });

    it.skipIf(!hasScript)(
      'top in a pseudo-terminal: redrawn frames, throughput from the event plane',
      async () => {
        const tq = new Queue('topq', { backend });
        await tq.add('x', {});
        let started = false;
        let worker: Worker | undefined;
        const screen = await new Promise<string>((resolve, reject) => {
          // util-linux `script` gives the child a real pseudo-terminal (stdout.isTTY).
          const child = spawn(
            'script',
            ['-qec', `${process.execPath} ${bin} top --iterations 4 --interval 1s`, '/dev/null'],
            {
              cwd: pkgDir,
              env: { ...process.env, MQ_URL: url },
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (!started && out.includes('topq')) {
              started = true;
              worker = new Worker('topq', async () => ({ ok: true }), {
                backend,
                heartbeatIntervalMs: 100,
              });
            }
          });
          child.on('exit', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`top exited ${String(code)}: ${out}`)),
          );
        });
        await worker?.close();
        await tq.close();
        const frames = screen.split('\u001b[2J\u001b[H').filter((f) => f !== '');
        expect(frames).toHaveLength(4);
        expect(frames[0]).toMatch(/topq\s+1\s+0\s+0\s+0\s+no\s+0\s/);
        // The completion seen on the event plane while top ran shows in the last frame.
        expect(frames[3]).toMatch(/topq\s+0\s+0\s+0\s+0\s+no\s+1x1\s+-\s+1\s+0/);
      },
    );

    it('usage errors exit 2 and name the problem; clean and obliterate end the queue', async () => {
      const bogus = await run('bogus');
      expect(bogus.code).toBe(2);
      expect(bogus.stderr).toContain('Unknown command "bogus"');
      expect((await run('jobs')).code).toBe(2);
      const bad = await run('clean', 'cq', '--state', 'nope', '--yes', '--json');
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stderr).error.code).toBe('MQ_VALIDATION');
      expect((await run('queues', '--dry-run')).code).toBe(2);
      const help = await run('clean', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:\n  mq clean emails');
      const cl = await run('clean', 'cq', '--state', 'completed', '--yes', '--json');
      expect(json(cl)).toMatchObject({ dryRun: false, count: 3 });
      expect((await run('obliterate', 'cq')).code).toBe(3);
      const ob = await run('obliterate', 'cq', '--force', '--yes');
      expect(ob.code).toBe(0);
      expect(await queue.getCounts()).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
    });
  });
}

/** The checks that need no backend. */
export function mqCliNoBackend(): void {
  describe('mq without a backend', () => {
    it('exits 2 naming --backend', async () => {
      const r = await mq('', ['queues']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--backend <url> is required');
    });
  });
}
