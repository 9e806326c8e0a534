import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultServerError } from '../errors.js';
import { claimDir, ownerAlive, portOpen, run, serverUser, waitFor } from './shell.js';

const DIR_PREFIX = 'mq-faults-pg-';
/** The database the suite's backends use. */
export const FAULTS_DB = 'faults';

/** The newest `/usr/lib/postgresql/<ver>/bin` (Debian's layout), or `$MQ_PG_BIN`. */
function binDir(): string {
  const env = process.env.MQ_PG_BIN;
  if (env) return env;
  const root = '/usr/lib/postgresql';
  const vers = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (vers[0] === undefined)
    throw new FaultServerError('PostgreSQL', `no pg_ctl under ${root}; set MQ_PG_BIN`);
  return join(root, vers[0], 'bin');
}

/** `postgres`' uid and gid, to hand it the data directory when we run as root. */
function ids(user: string): { uid: number; gid: number } {
  const out = execFileSync('id', [user], { encoding: 'utf8' });
  const uid = Number(/uid=(\d+)/.exec(out)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(out)?.[1]);
  return { uid, gid };
}

/**
 * A PostgreSQL cluster of the suite's own (`initdb` + `pg_ctl`), on its own port and
 * socket directory, trust authentication on loopback, default durability (fsync on,
 * synchronous_commit on). As root the binaries run as the `postgres` user.
 */
export class PrivatePostgres {
  readonly dir: string;
  private readonly bin = binDir();
  private readonly user = serverUser();

  constructor(readonly port: number) {
    removeStale(this.bin);
    this.dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    claimDir(this.dir);
    chmodSync(this.dir, 0o755);
    if (this.user !== undefined) {
      const { uid, gid } = ids(this.user);
      chownSync(this.dir, uid, gid);
    }
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  /** The suite's database URL (role `mq`, no password: trust on loopback). */
  get url(): string {
    return this.urlVia();
  }

  /** The URL through another port (a proxy in front of this server). */
  urlVia(port = this.port): string {
    return `postgres://mq@127.0.0.1:${port}/${FAULTS_DB}`;
  }

  private pgCtl(args: string[], timeoutMs = 60_000): Promise<string> {
    return run(join(this.bin, 'pg_ctl'), ['-D', this.data, ...args], {
      asUser: this.user,
      timeoutMs,
    });
  }

  /** initdb, start, and create the database. */
  async start(): Promise<void> {
    if (await portOpen(this.port))
      throw new FaultServerError(
        'PostgreSQL',
        `port ${this.port} is already in use (pass --pg-port)`,
      );
    await run(
      join(this.bin, 'initdb'),
      ['-D', this.data, '-U', 'mq', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'],
      { asUser: this.user },
    ).catch((cause) => {
      throw new FaultServerError('PostgreSQL', 'initdb failed', { cause });
    });
    await this.boot();
    await this.psql('postgres', `CREATE DATABASE ${FAULTS_DB}`);
  }

  /** `pg_ctl start` of the existing cluster; resolves when it accepts connections. */
  async boot(): Promise<void> {
    const opts = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      "-c listen_addresses='127.0.0.1'",
      '-c max_connections=200',
    ].join(' ');
    await this.pgCtl(['-o', opts, '-l', join(this.dir, 'pg.log'), '-w', '-t', '60', 'start']).catch(
      (cause) => {
        throw new FaultServerError('PostgreSQL', 'pg_ctl start failed', { cause });
      },
    );
  }

  /** `pg_ctl stop -m <mode>`; resolves when the server is down. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.pgCtl(['-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** `pg_ctl restart -m <mode>`; resolves when the server accepts connections again. */
  async restart(mode: 'fast' | 'immediate'): Promise<void> {
    // -l again: without it the new postmaster would hold our stdout pipe open.
    await this.pgCtl(['-m', mode, '-l', join(this.dir, 'pg.log'), '-w', '-t', '60', 'restart']);
    if (!(await waitFor(() => this.ready(), 30_000)))
      throw new FaultServerError('PostgreSQL', `not ready 30 s after restart -m ${mode}`);
  }

  /** True when `SELECT 1` answers. */
  async ready(): Promise<boolean> {
    return (await this.psql(FAULTS_DB, 'SELECT 1')).trim() === '1';
  }

  /** Runs one statement with psql; resolves its unaligned output. */
  psql(db: string, sql: string): Promise<string> {
    return run(
      'psql',
      ['-XAtq', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'mq', '-d', db, '-c', sql],
      { timeoutMs: 10_000 },
    );
  }

  /**
   * A psql session left idle in transaction after `BEGIN; SELECT txid_current();` (it
   * holds an xid, so VACUUM keeps every row version newer than it). Resolves once the
   * transaction is open, with a function that commits and ends the session.
   */
  async idleInTransaction(): Promise<() => Promise<void>> {
    const args = ['-XAtq', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'mq', '-d', FAULTS_DB];
    const p = spawn('psql', args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const opened = new Promise<void>((resolve, reject) => {
      p.stdout.once('data', () => resolve());
      p.once('exit', (code) => reject(new FaultServerError('PostgreSQL', `psql exited ${code}`)));
    });
    p.stdin.write('BEGIN; SELECT txid_current();\n');
    await opened;
    return async () => {
      const gone = new Promise((r) => p.once('exit', r));
      p.stdin.end('COMMIT;\n');
      await gone;
    };
  }

  /** Stops the cluster (immediate) and removes its directory. Synchronous, for exit handlers. */
  destroy(): void {
    stopSync(this.bin, this.data);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function stopSync(bin: string, data: string): void {
  if (!existsSync(join(data, 'postmaster.pid'))) return;
  const user = serverUser();
  const args = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
  try {
    if (user === undefined) execFileSync(args[0]!, args.slice(1), { stdio: 'ignore' });
    else execFileSync('runuser', ['-u', user, '--', ...args], { stdio: 'ignore' });
  } catch {}
}

/** Stops clusters left by a suite that was itself killed, and removes their dirs. */
function removeStale(bin: string): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    if (ownerAlive(dir)) continue;
    stopSync(bin, join(dir, 'data'));
    rmSync(dir, { recursive: true, force: true });
  }
}
