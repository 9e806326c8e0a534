import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** How a child process ended, as the suite judges it. */
export type ChildFate = 'running' | 'exited' | 'killed' | 'crashed' | 'hung';

/** One worker or producer process. */
export interface Child {
  role: 'worker' | 'producer';
  proc: ChildProcess;
  pid: number;
  fate: ChildFate;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** The tail of its stderr, for the report of a crash. */
  stderr: string;
}

const scriptOf = (role: Child['role']) => join(import.meta.dirname, 'children', `${role}.js`);

/**
 * Spawns and tracks the suite's child processes. A child that exits non-zero or by a
 * signal the suite did not send is `crashed`; one still running after SIGTERM and the
 * grace period is `hung` (and killed). Every child is killed when the suite exits.
 */
export class Children {
  readonly all: Child[] = [];

  constructor(private readonly verbose: boolean) {}

  /** Starts `node dist/children/<role>.js '<config json>'` with an IPC channel. */
  spawn(role: Child['role'], config: object): Child {
    const proc = spawn(process.execPath, [scriptOf(role), JSON.stringify(config)], {
      stdio: ['ignore', this.verbose ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    });
    const child: Child = {
      role,
      proc,
      pid: proc.pid ?? -1,
      fate: 'running',
      stderr: '',
      exited: new Promise((resolve) => {
        proc.once('exit', (code, signal) => {
          if (child.fate === 'running') {
            // Exit code 0 is a clean end; anything else we did not ask for is a crash.
            child.fate = code === 0 ? 'exited' : 'crashed';
            if (child.fate === 'crashed')
              child.stderr += `\n[exit code ${code ?? '-'} signal ${signal ?? '-'}]`;
          }
          resolve();
        });
      }),
    };
    proc.stderr?.on('data', (d: Buffer) => {
      if (this.verbose) process.stderr.write(d);
      child.stderr = (child.stderr + d.toString()).slice(-4000);
    });
    this.all.push(child);
    return child;
  }

  /** The children of a role still running. */
  running(role: Child['role']): Child[] {
    return this.all.filter((c) => c.role === role && c.fate === 'running');
  }

  /** `kill -9` of one child, recorded as ours (not a crash). */
  async kill9(child: Child): Promise<void> {
    child.fate = 'killed';
    child.proc.kill('SIGKILL');
    await child.exited;
  }

  /**
   * SIGTERM to one child (a graceful stop); resolves when it exited, or after `graceMs`
   * with the child marked hung and killed.
   */
  async terminate(child: Child, graceMs: number): Promise<void> {
    child.proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([
      child.exited.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (late) {
      await this.kill9(child);
      child.fate = 'hung';
    }
  }

  /** Kills every child at once. Synchronous, for exit handlers. */
  killAll(): void {
    for (const c of this.all)
      if (c.proc.exitCode === null && c.proc.signalCode === null) {
        try {
          c.proc.kill('SIGKILL');
        } catch {}
      }
  }
}
