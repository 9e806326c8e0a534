import type { Backend } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { DEFAULT_DURATION_S } from './args.js';
import { openQueue, type RunningQueue } from './demo-queue.js';
import { seconds } from './format.js';
import { planFor } from './plan.js';
import { EMAILS, WEBHOOKS } from './queues.js';
import type { DemoResult, QueueReport } from './report.js';
import { sleep } from './sleep.js';
import { renderSummary } from './summary.js';
import { LiveView, type Output, type Phase } from './view.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Target total run time in ms; producers add jobs for 70% of it. Default 12,000. */
  durationMs?: number;
  /** Where the view and the summary go. Default `process.stdout`. */
  out?: Output;
  /**
   * Redraw in place or print a line per second. Default: in place on a terminal at
   * least as wide as the table (wrapped lines would break the redraw).
   */
  live?: boolean;
  /** ANSI colours. Default: when live and `NO_COLOR` is unset. */
  colors?: boolean;
  /**
   * The backend to run on. Default a fresh `createMemoryBackend()`, closed at the end;
   * a backend passed in is left open for the caller to inspect and close.
   */
  backend?: Backend;
  /** Stops producing and closes early (Ctrl-C). */
  signal?: AbortSignal;
}

const SETTLE_POLL_MS = 50;
/** The live table is 77 characters wide. */
const MIN_LIVE_COLUMNS = 78;

async function waitSettled(
  queues: RunningQueue[],
  deadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  while (!signal.aborted && Date.now() < deadline) {
    const counts = await Promise.all(queues.map((q) => q.counts()));
    if (counts.every((c) => c.waiting + c.delayed + c.active === 0)) return true;
    await sleep(SETTLE_POLL_MS, signal);
  }
  return false;
}

async function reportOf(q: RunningQueue): Promise<QueueReport> {
  const s = q.stats;
  const failedErrors = await q.failedErrorNames();
  return {
    name: q.name,
    added: s.added,
    deduplicated: s.dedupHits,
    completed: s.completed,
    failed: s.failed,
    retried: s.retried,
    waitP50Ms: s.waitPercentile(50),
    waitP99Ms: s.waitPercentile(99),
    counts: await q.counts(),
    doomedIds: [...s.doomedIds],
    failedUnrecoverable: failedErrors.filter((n) => n === 'UnrecoverableError').length,
  };
}

/**
 * Runs the demo: producers add a realistic mix of jobs to `emails` and `webhooks`,
 * workers run them, a live view shows each queue, and once every job has settled it
 * closes workers (and the backend it created) and prints a summary. Never throws for
 * a failed run: check `ok`.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const plan = planFor(options.durationMs ?? DEFAULT_DURATION_S * 1000);
  const out = options.out ?? process.stdout;
  const live = options.live ?? (out.isTTY === true && (out.columns ?? 80) >= MIN_LIVE_COLUMNS);
  const colors = options.colors ?? (live && process.env.NO_COLOR === undefined);
  const backend = options.backend ?? createMemoryBackend();
  const errors: string[] = [];
  const onError = (where: string, err: unknown) =>
    errors.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  const queues: RunningQueue[] = [];
  let phase: Phase = 'starting';
  let startedAt = Date.now();
  let view: LiveView | null = null;
  try {
    await backend.ready();
    queues.push(await openQueue(EMAILS, backend, onError));
    queues.push(await openQueue(WEBHOOKS, backend, onError));
    out.write(
      `mq demo · queues ${queues.map((q) => q.name).join(', ')} · ${backend.name} backend\n` +
        `Producing for ${seconds(plan.produceForMs)}, then draining; ends by itself ` +
        `(Ctrl-C ends now).\n\n`,
    );
    startedAt = Date.now();
    view = new LiveView(
      out,
      { live, colors, produceForMs: plan.produceForMs, backend: backend.name },
      async () => ({
        elapsedMs: Date.now() - startedAt,
        phase,
        rows: await Promise.all(
          queues.map(async (q) => ({
            name: q.name,
            counts: await q.counts(),
            perSecond: q.stats.throughput(Date.now()),
            retried: q.stats.retried,
            dedupHits: q.stats.dedupHits,
          })),
        ),
      }),
      onError,
    );
    view.start();

    phase = 'producing';
    const produced = await Promise.allSettled(
      queues.map((q) => q.produce(plan, startedAt, stop.signal)),
    );
    produced.forEach((p, i) => {
      if (p.status === 'rejected') onError(`${queues[i]?.name} producer`, p.reason);
    });
    phase = stop.signal.aborted ? 'stopping' : 'draining';
    const settled = await waitSettled(queues, startedAt + plan.settleDeadlineMs, stop.signal);
    const elapsedMs = Date.now() - startedAt;
    phase = stop.signal.aborted ? 'stopping' : 'closing';
    await Promise.all(queues.map((q) => q.close()));
    phase = stop.signal.aborted ? 'stopped' : 'done';
    await view.stop();
    view = null;

    const reports = await Promise.all(queues.map(reportOf));
    const stopped = stop.signal.aborted;
    const result: DemoResult = {
      ok: settled && !stopped && errors.length === 0,
      settled,
      stopped,
      elapsedMs,
      queues: reports,
      errors,
    };
    out.write(renderSummary(result, colors));
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Only reached with work left on an unexpected throw: close everything regardless.
    await view?.stop();
    await Promise.all(queues.map((q) => q.close()));
    if (!options.backend) await backend.close();
  }
}
