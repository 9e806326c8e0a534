/**
 * A probe of @mq/postgres's hot path, without a Worker: one loop that settles the jobs
 * it holds and claims the next ones in the same call (`JobStore.settle` with `next`), as
 * a busy worker does. Prints the rate per chunk (does it hold up as jobs go by?), the
 * overall rate and, when the server runs on this machine, its CPU time per job. Used for
 * the figures of the housekeeping vacuum and of "where the time goes" in the postgres
 * README.
 *
 * `--lanes N` runs N such loops at once (a worker with N settle flights); `--worker C`
 * drains through a real Worker at concurrency C instead (`--events off` turns its
 * events off), to see what the Worker adds to the loop.
 *
 *   node apps/bench/dist/probes/settle-loop.js [--jobs 60000] [--per-call 10]
 *     [--lanes 1] [--worker 0] [--events on|off] [--chunk 10000] [--vacuum on|off]
 *     [--retention default|remove|keep]
 */
import { readFileSync } from 'node:fs';
import { type NewJob, Worker } from '@mq/core';
import { createPostgresBackend, migrate } from '@mq/postgres';
import pg from 'pg';
import { POSTGRES_URL, redactUrl } from '../services.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
}
const jobs = Number(args.get('jobs') ?? 60_000);
const perCall = Number(args.get('per-call') ?? 10);
const chunk = Number(args.get('chunk') ?? 10_000);
const lanes = Number(args.get('lanes') ?? 1);
const vacuum = (args.get('vacuum') ?? 'on') === 'on';
const retention = args.get('retention') ?? 'default';
const worker = Number(args.get('worker') ?? 0);
const events = (args.get('events') ?? 'on') === 'on';
const keep = { default: { age: 86_400_000, count: 1000 }, remove: true, keep: false }[retention];
if (
  keep === undefined ||
  !(jobs > 0 && perCall > 0 && chunk > 0 && lanes > 0 && Number.isInteger(worker) && worker >= 0)
) {
  console.error('usage: settle-loop [--jobs N] [--per-call N] [--lanes N] [--chunk N]');
  console.error('                   [--worker C [--events on|off]] [--vacuum on|off]');
  console.error('                   [--retention default|remove|keep]');
  process.exit(2);
}

const schema = `mq_probe_${process.pid}`;
const app = `mq-probe-${process.pid}`;
const admin = new pg.Client({ connectionString: POSTGRES_URL });
await admin.connect();
await migrate({ connectionString: POSTGRES_URL, schema });
const backend = createPostgresBackend({
  config: { connectionString: POSTGRES_URL, application_name: app },
  schema,
  vacuum: vacuum ? {} : false,
});
try {
  await backend.ready();
  const opts = { attempts: 1, removeOnComplete: keep, removeOnFail: false };
  const job = (i: number): NewJob => ({
    name: 'noop',
    payload: `{"i":${i}}`,
    priority: 0,
    lifo: false,
    delay: 0,
    opts,
  });
  for (let i = 0; i < jobs; i += 1000) {
    const n = Math.min(1000, jobs - i);
    await backend.jobs.add(
      'probe',
      Array.from({ length: n }, (_, k) => job(i + k)),
    );
  }

  // CPU time (ms) of the backend's server processes, when /proc shows them (local server).
  const serverCpu = async (): Promise<number | null> => {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [app],
    );
    let ms = 0;
    for (const { pid } of rows) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ms += (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        return null;
      }
    }
    return ms;
  };

  const rates: number[] = [];
  const cpu0 = await serverCpu();
  const client0 = process.cpuUsage();
  const start = performance.now();
  let mark = start;
  let done = 0;
  const lane = async (workerId: string) => {
    const next = { workerId, max: perCall, leaseMs: 30_000 };
    let held = (await backend.jobs.reserve('probe', next)).jobs;
    while (held.length > 0) {
      const outcomes = held.map((r) => ({
        kind: 'completed' as const,
        jobId: r.job.id,
        token: r.token,
        result: 'null',
      }));
      held = (await backend.jobs.settle('probe', outcomes, next)).next?.jobs ?? [];
      const before = done;
      done += outcomes.length;
      if (Math.floor(done / chunk) > Math.floor(before / chunk)) {
        const now = performance.now();
        rates.push(Math.round(chunk / ((now - mark) / 1000)));
        mark = now;
      }
    }
  };
  // The same drain through a Worker: its events, slot accounting and settle flights too.
  const drain = async () => {
    let w: Worker | undefined;
    await new Promise<void>((resolve) => {
      w = new Worker('probe', async () => null, { backend, concurrency: worker, events });
      w.on('completed', () => {
        done++;
        if (done % chunk === 0) {
          const now = performance.now();
          rates.push(Math.round(chunk / ((now - mark) / 1000)));
          mark = now;
        }
        if (done === jobs) resolve();
      });
    });
    return w!;
  };
  const drained = worker > 0 ? await drain() : undefined;
  if (!drained) await Promise.all(Array.from({ length: lanes }, (_, i) => lane(`probe-${i}`)));
  const client = process.cpuUsage(client0);
  const shape =
    worker > 0
      ? `Worker at concurrency ${worker}, events ${events ? 'on' : 'off'}`
      : `${perCall} per call, ${lanes} lane(s)`;
  const overall = Math.round(done / ((performance.now() - start) / 1000));
  const cpu1 = await serverCpu();
  await drained?.close();
  console.log(
    `settle-loop: ${done} jobs, ${shape}, retention ${retention}, ` +
      `vacuum ${vacuum ? 'on' : 'off'}, ${redactUrl(POSTGRES_URL)}`,
  );
  console.log(`jobs/s per ${chunk}: ${rates.join(' ')}`);
  console.log(`jobs/s overall: ${overall}`);
  // This process: the driver, pg's parsing and, with --worker, the Worker.
  console.log(`client CPU per job: ${((client.user + client.system) / done).toFixed(1)} µs`);
  if (cpu0 !== null && cpu1 !== null) {
    console.log(`server CPU per job: ${(((cpu1 - cpu0) * 1000) / done).toFixed(1)} µs`);
  }
} finally {
  await backend.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
