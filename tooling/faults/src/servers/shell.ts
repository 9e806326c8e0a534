import { readFileSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Runs a command; resolves its stdout, rejects with its stderr. Default timeout 60 s. */
export function run(
  cmd: string,
  args: string[],
  opts: { asUser?: string; timeoutMs?: number } = {},
): Promise<string> {
  const [file, argv] =
    opts.asUser === undefined ? [cmd, args] : ['runuser', ['-u', opts.asUser, '--', cmd, ...args]];
  return new Promise((resolve, reject) => {
    execFile(
      file,
      argv,
      { timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`.trim()));
        else resolve(stdout);
      },
    );
  });
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      s.destroy();
      resolve(open);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Retries `check` every 50 ms until it resolves true; false after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * The user to run a server as: servers refuse root (PostgreSQL) or should not run as it,
 * so as root this is `postgres` when that user exists. Undefined: run as ourselves.
 */
export function serverUser(): string | undefined {
  return process.getuid?.() === 0 ? 'postgres' : undefined;
}

/** Marks `dir` as owned by this process (see {@link ownerAlive}). */
export function claimDir(dir: string): void {
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
}

/**
 * True when the suite process that created `dir` still runs: a stale directory is only
 * cleaned up when its owner is gone, so two suites never stop each other's servers.
 */
export function ownerAlive(dir: string): boolean {
  try {
    const pid = Number(readFileSync(join(dir, 'owner.pid'), 'utf8').trim());
    if (!(pid > 0)) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
