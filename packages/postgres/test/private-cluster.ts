import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mq/test-services';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster of this test process, on its own port and directory. */
export interface PrivateCluster {
  url: string;
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  stop(): Promise<void>;
}

/** Where `initdb`/`pg_ctl` live, or why a private cluster cannot be made here. */
export function findPgBin(): { bin: string } | { skip: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { bin };
  }
  return {
    skip: `no initdb under ${root}/*/bin (install the postgresql server package to run the restart test)`,
  };
}

/**
 * Creates and starts a cluster in a temp dir on a free port (trust auth, loopback only).
 * initdb refuses to run as root: as root, it runs as the `postgres` OS user.
 */
export async function startPrivateCluster(bin: string): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mq-pg-restart-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args);
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c max_connections=100',
  ].join(' ');
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), ...args]);
  await ctl(['-o', opts, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async (mode) => {
      await ctl(['-m', mode, '-w', 'stop']);
      await ctl(['-o', opts, '-w', 'start']);
    },
    stop: async () => {
      await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
