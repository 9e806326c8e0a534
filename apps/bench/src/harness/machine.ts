import os from 'node:os';
import { packageVersion } from './versions.js';

/** The machine and runtime, one line each, for the table header. */
export function machineLines(): string[] {
  const cpus = os.cpus();
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  return [
    `Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores (nproc), ` +
      `${gib(os.totalmem())} RAM (${gib(os.freemem())} free at start), ${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}`,
  ];
}

/** `name version` for each package, in one line. */
export function versionsLine(pkgs: string[]): string {
  return `Packages: ${pkgs.map((p) => `${p} ${packageVersion(p)}`).join(', ')}`;
}

/** The 1, 5 and 15 minute load averages, e.g. `0.52 / 0.40 / 0.33`. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
