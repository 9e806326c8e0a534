import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mq/test-services';
import { Redis } from 'ioredis';

/** Why private servers cannot run here, or undefined when `redis-server` is on PATH. */
export const privateRedisSkip: string | undefined = (() => {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const why = 'redis-server is not on PATH (install the redis-server package)';
  if (process.env.MQ_REQUIRE_SERVICES === '1') throw new Error(`${why}; MQ_REQUIRE_SERVICES=1`);
  return why;
})();

/**
 * A redis-server of the test's own, on a free loopback port, with AOF persistence
 * (`appendfsync always`: an acknowledged write survives a SIGKILL), so a test can kill
 * and restart it without disturbing the shared server.
 */
export class PrivateRedis {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'mq-redis-'));

  private constructor(readonly port: number) {}

  /** Starts a new server and waits until it answers PING. */
  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** (Re)starts the server process on the same port and data directory. */
  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        this.dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    probe.disconnect();
  }

  /** Stops the server: SIGKILL simulates a crash, SIGTERM a clean shutdown. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (proc === undefined || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  }

  /** Stops the server and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
