import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/load-worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Worker processes running test/fixtures/load-worker.mjs against the built package. */
export class WorkerProcesses {
  private readonly children: ChildProcess[] = [];

  /** Forks `processes` children with `workers` Workers each; resolves when all are ready. */
  static async start(o: {
    processes: number;
    workers: number;
    concurrency: number;
    url: string;
    prefix: string;
    queue: string;
    /** Time each job takes, in ms. Default 0. */
    jobMs?: number;
  }): Promise<WorkerProcesses> {
    if (!existsSync(DIST))
      throw new Error('packages/redis/dist is missing: run `pnpm build` first');
    const set = new WorkerProcesses();
    await Promise.all(
      Array.from({ length: o.processes }, () => {
        const child = fork(FIXTURE, [], {
          env: {
            ...process.env,
            MQ_URL: o.url,
            MQ_PREFIX: o.prefix,
            MQ_QUEUE: o.queue,
            MQ_WORKERS: String(o.workers),
            MQ_CONCURRENCY: String(o.concurrency),
            MQ_JOB_MS: String(o.jobMs ?? 0),
          },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        set.children.push(child);
        return new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
        });
      }),
    );
    return set;
  }

  /** Closes every child gracefully; returns the runs per job id summed over all of them. */
  async stop(): Promise<Map<string, number>> {
    const total = new Map<string, number>();
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error('worker process did not stop')),
              30_000,
            );
            child.once('message', (msg: { runs: Record<string, number> }) => {
              clearTimeout(timer);
              for (const [id, n] of Object.entries(msg.runs))
                total.set(id, (total.get(id) ?? 0) + n);
              resolve();
            });
            child.send('stop');
          }),
      ),
    );
    return total;
  }

  /** Kills whatever is still running (test cleanup). */
  kill(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}
