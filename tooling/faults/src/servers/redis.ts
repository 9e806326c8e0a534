import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultServerError } from '../errors.js';
import { claimDir, ownerAlive, portOpen, run, waitFor } from './shell.js';

const DIR_PREFIX = 'mq-faults-redis-';

/**
 * A redis-server of the suite's own, on its own port and data directory, with the
 * append-only file on and `appendfsync always`: every write is fsynced before it is
 * acknowledged, so not even an OS crash loses an acknowledged add (with `everysec` a
 * `kill -9` of the server loses nothing either, since the write(2) precedes the reply,
 * but a power loss can lose the last second).
 */
export class PrivateRedis {
  readonly dir: string;
  private proc: ChildProcess | null = null;

  constructor(readonly port: number) {
    removeStale();
    this.dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    claimDir(this.dir);
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (replaying the AOF when there is one) and waits for PING. */
  async start(): Promise<void> {
    if (await portOpen(this.port))
      throw new FaultServerError(
        'redis-server',
        `port ${this.port} is already in use (pass --redis-port)`,
      );
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--daemonize',
        'no',
        '--pidfile',
        join(this.dir, 'redis.pid'),
        '--logfile',
        join(this.dir, 'redis.log'),
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.proc.once('error', () => {});
    if (!(await waitFor(() => this.ping(), 20_000)))
      throw new FaultServerError('redis-server', `no PONG on port ${this.port} within 20 s`);
  }

  /** True when the server answers PING. */
  async ping(): Promise<boolean> {
    return (await this.cli('PING')).trim() === 'PONG';
  }

  /** Runs one command with redis-cli against this server. */
  cli(...args: string[]): Promise<string> {
    return run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args], {
      timeoutMs: 5000,
    });
  }

  /** `kill -9` of the server process; resolves once it is gone. */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (p === null || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
    this.proc = null;
  }

  /**
   * `SHUTDOWN`: Redis fsyncs the AOF and exits; resolves once the process is gone.
   * redis-cli reports the closed connection as an error, which is the expected answer.
   */
  async shutdown(): Promise<void> {
    const p = this.proc;
    if (p === null || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    await this.cli('SHUTDOWN').catch(() => '');
    await gone;
    this.proc = null;
  }

  /** Kills the server and removes its directory. Synchronous, for exit handlers. */
  destroy(): void {
    try {
      this.proc?.kill('SIGKILL');
    } catch {}
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Kills redis-servers left by a suite that was itself killed, and removes their dirs. */
function removeStale(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    if (ownerAlive(dir)) continue;
    try {
      const pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim());
      // Only when the pid is still a redis-server (pids are reused).
      if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server'))
        process.kill(pid, 'SIGKILL');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
}
