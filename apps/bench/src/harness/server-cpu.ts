import { readdir, readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';

/**
 * Cumulative CPU time of a server, in ms, read before and after a measurement: the
 * difference divided by the jobs is the server's cost per job, a figure that does not
 * swing with the machine's load the way jobs/s do. Null when it cannot be read.
 */
export type ServerCpu = () => Promise<number | null>;

/** redis-server's own CPU (user + sys) from `INFO CPU`. */
export function redisCpu(url: string): ServerCpu {
  return async () => {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      const info = await r.info('cpu');
      const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1]);
      const s = field('used_cpu_user') + field('used_cpu_sys');
      return Number.isFinite(s) ? s * 1000 : null;
    } catch {
      return null;
    } finally {
      r.disconnect();
    }
  };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * The CPU (user + sys) of every `postgres` process on this machine — the backends
 * serving the benchmark and the cluster's background processes — from /proc. The
 * server must be local (the benchmark's servers are on 127.0.0.1); elsewhere, null.
 */
export const postgresCpu: ServerCpu = async () => {
  let total = 0;
  let seen = 0;
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after "(comm) ": state is field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(close + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
      seen++;
    } catch {
      // The process ended between readdir and read: its time is gone either way.
    }
  }
  return seen === 0 ? null : (total * 1000) / USER_HZ;
};
