import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker-process.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Child processes running test/fixtures/worker-process.mjs against the built package. */
export class Processes {
  private readonly children: ChildProcess[] = [];

  /** Forks `count` children with `env`; resolves once each reports ready. */
  static async start(count: number, env: Record<string, string>): Promise<Processes> {
    if (!existsSync(DIST))
      throw new Error('packages/mongo/dist is missing: run `pnpm build` first');
    const set = new Processes();
    await Promise.all(
      Array.from({ length: count }, () => {
        const child = fork(FIXTURE, [], {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        set.children.push(child);
        return new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
        });
      }),
    );
    return set;
  }

  /** Sends `msg` to every child and collects each one's single reply. */
  async ask<T>(msg: string): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (child) =>
          new Promise<T>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('child did not answer')), 60_000);
            child.once('message', (reply: T) => {
              clearTimeout(timer);
              resolve(reply);
            });
            child.send(msg);
          }),
      ),
    );
  }

  /** Kills whatever still runs (cleanup). */
  kill(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}
