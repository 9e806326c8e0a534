import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from '@mq/core';
import { createRedisBackend } from '@mq/redis';
import { resolveService } from '@mq/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../src/cli/serve-args.js';
import { call } from './harness.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(pkgDir, 'bin', 'mq-admin.js');
const redis = await resolveService('redis');

/** Starts the built bin; resolves with its URL and the stdout so far. */
function start(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; out: string[] }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: pkgDir,
    env: { ...process.env, ...env },
  });
  const out: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mq-admin did not start: ${out.join('')}`)),
      15_000,
    );
    const onData = (d: Buffer) => {
      out.push(d.toString());
      const m = out.join('').match(/listening on (http:\/\/\S+?)\/ /);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => out.push(d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mq-admin exited ${String(code)}: ${out.join('')}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => r(code));
    child.kill('SIGTERM');
  });
}

describe('mq-admin flags', () => {
  it('validates each flag with an error naming it', () => {
    expect(() => parseServeArgs([], {})).toThrow(/--backend/);
    expect(() => parseServeArgs(['--backend', 'memory:', '--port', 'x'], {})).toThrow(/--port/);
    expect(() =>
      parseServeArgs(['--backend', 'memory:', '--host', '0.0.0.0', '--anonymous', 'viewer'], {}),
    ).toThrow(/loopback/);
    expect(() => parseServeArgs(['--backend', 'memory:'], { MQ_ADMIN_TOKENS: 'root:abc' })).toThrow(
      /role/,
    );
    const a = parseServeArgs(['--backend', 'main=memory:', '--backend', 'memory:'], {
      MQ_ADMIN_TOKENS: `viewer:${'t'.repeat(20)}`,
    });
    expect(a).toMatchObject({
      backends: [
        { name: 'main', url: 'memory:' },
        { name: 'b2', url: 'memory:' },
      ],
      port: 7070,
      host: '127.0.0.1',
    });
  });
});

describe.skipIf(redis.skip !== undefined)('mq-admin server on redis', () => {
  const prefix = `mqadmbin-${randomBytes(4).toString('hex')}`;
  const backend = createRedisBackend({ url: redis.url ?? '', prefix });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await backend.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await backend.client.unlink(...keys);
    } while (cursor !== '0');
    await backend.close();
  });

  it('prints a one-time admin token when none is configured and serves the API with it', async () => {
    const q = new Queue('binq', { backend });
    await q.add('a', {});
    const { child, url, out } = await start([
      '--backend',
      `${redis.url}?prefix=${prefix}`,
      '--port',
      '0',
    ]);
    try {
      const token = out.join('').match(/admin token for this run: (\S+)/)?.[1];
      expect(token).toBeDefined();
      expect((await call(url, 'GET', '/api/queues')).status).toBe(401);
      const r = await call(url, 'GET', '/api/queues', { token: token as string });
      expect(r.body.queues).toEqual([
        expect.objectContaining({
          backend: 'default',
          queue: 'binq',
          counts: expect.objectContaining({ waiting: 1 }),
        }),
      ]);
      const p = await call(url, 'POST', '/api/backends/default/queues/binq/pause', {
        token: token as string,
        body: { reason: 'from the bin test' },
      });
      expect(p.status).toBe(200);
      expect(await q.isPaused()).toBe(true);
    } finally {
      expect(await stop(child)).toBe(0);
      await q.close();
    }
  });

  it('takes role tokens from MQ_ADMIN_TOKENS and enforces them', async () => {
    const viewer = `view-${randomBytes(12).toString('hex')}`;
    const { child, url, out } = await start(
      ['--backend', `${redis.url}?prefix=${prefix}`, '--port', '0'],
      { MQ_ADMIN_TOKENS: `viewer:${viewer}` },
    );
    try {
      expect(out.join('')).not.toContain('admin token for this run');
      expect(out.join('')).not.toContain(viewer);
      expect((await call(url, 'GET', '/api/whoami', { token: viewer })).body.role).toBe('viewer');
      expect(
        (
          await call(url, 'POST', '/api/backends/default/queues/binq/resume', {
            token: viewer,
            body: { reason: 'nope' },
          })
        ).status,
      ).toBe(403);
    } finally {
      await stop(child);
    }
  });
});
