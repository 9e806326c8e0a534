import type { JobCounts } from '@mq/core';
import { type Column, paint, seconds, table } from './format.js';
import { sleep } from './sleep.js';

/** Where the demo writes: `process.stdout`, or any stream a test captures. */
export interface Output {
  write(chunk: string): unknown;
  /** Set on terminals: the view then redraws in place. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** What a run is doing. */
export type Phase =
  | 'starting'
  | 'producing'
  | 'draining'
  | 'closing'
  | 'done'
  | 'stopping'
  | 'stopped';

/** One queue's line in the view. */
export interface ViewRow {
  name: string;
  counts: JobCounts;
  /** Jobs settled for good during the last second. */
  perSecond: number;
  retried: number;
  dedupHits: number;
}

/** Everything one frame shows. */
export interface Frame {
  elapsedMs: number;
  phase: Phase;
  rows: ViewRow[];
}

/** Redraws per second on a terminal. */
const LIVE_INTERVAL_MS = 250;
/** Lines per second elsewhere (CI logs, pipes). */
const LINE_INTERVAL_MS = 1000;

const HIDE_CURSOR = '\x1b[?25l';
/** Shows the cursor again: write it on every way out of a live view. */
export const SHOW_CURSOR = '\x1b[?25h';

const COLUMNS: Column[] = [
  { title: 'queue', align: 'left', style: 'bold' },
  { title: 'waiting' },
  { title: 'delayed' },
  { title: 'active', style: 'cyan' },
  { title: 'completed', style: 'green' },
  { title: 'failed', style: 'red' },
  { title: 'jobs/s' },
  { title: 'retries', style: 'yellow' },
  { title: 'dedup' },
];

/**
 * The live view: on a terminal (`live`) it redraws a table in place about 4× a second;
 * elsewhere it prints one compact line per second, so logs stay readable.
 */
export class LiveView {
  private linesDrawn = 0;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly out: Output,
    private readonly opts: {
      live: boolean;
      colors: boolean;
      produceForMs: number;
      backend: string;
    },
    private readonly snapshot: () => Promise<Frame>,
    private readonly onError: (where: string, err: unknown) => void,
  ) {}

  /** Starts drawing. */
  start(): void {
    if (this.opts.live) this.out.write(HIDE_CURSOR);
    else
      this.out.write(
        'legend: w waiting, d delayed, a active, c completed, f failed, ' +
          'jobs/s over the last second, r retries, dd dedup hits\n',
      );
    this.loop = this.run();
  }

  /** Draws a last frame and gives the cursor back. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
    await this.draw();
    if (this.opts.live) this.out.write(SHOW_CURSOR);
  }

  private async run(): Promise<void> {
    const every = this.opts.live ? LIVE_INTERVAL_MS : LINE_INTERVAL_MS;
    // Non-live: the first line after a second, when there is something to say.
    if (!this.opts.live) await sleep(every, this.stopper.signal);
    while (!this.stopper.signal.aborted) {
      await this.draw();
      await sleep(every, this.stopper.signal);
    }
  }

  private async draw(): Promise<void> {
    let frame: Frame;
    try {
      frame = await this.snapshot();
    } catch (err) {
      this.onError('view', err);
      return;
    }
    if (this.opts.live) this.redraw(this.frameLines(frame));
    else this.out.write(`${this.line(frame)}\n`);
  }

  private redraw(lines: string[]): void {
    // Up to the first line of the last frame, rewrite each line, clear what is left.
    const up = this.linesDrawn > 0 ? `\x1b[${this.linesDrawn}F` : '';
    this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}\x1b[J`);
    this.linesDrawn = lines.length;
  }

  private frameLines(f: Frame): string[] {
    const c = this.opts.colors;
    const phase =
      f.phase === 'producing' ? `producing until ${seconds(this.opts.produceForMs)}` : f.phase;
    const head =
      `${paint('mq demo', 'bold', c)} · ${this.opts.backend} backend · ` +
      `${seconds(f.elapsedMs)} · ${paint(phase, 'yellow', c)}`;
    const rows = f.rows.map((r) => [
      r.name,
      String(r.counts.waiting),
      String(r.counts.delayed),
      String(r.counts.active),
      String(r.counts.completed),
      String(r.counts.failed),
      r.perSecond.toFixed(0),
      String(r.retried),
      String(r.dedupHits),
    ]);
    return [head, '', ...table(COLUMNS, rows, c)];
  }

  private line(f: Frame): string {
    const t = `[${(f.elapsedMs / 1000).toFixed(1).padStart(5)}s]`;
    const queues = f.rows.map(
      (r) =>
        `${r.name} w=${r.counts.waiting} d=${r.counts.delayed} a=${r.counts.active} ` +
        `c=${r.counts.completed} f=${r.counts.failed} ${r.perSecond.toFixed(0)}/s ` +
        `r=${r.retried} dd=${r.dedupHits}`,
    );
    return [`${t} ${f.phase.padEnd(9)}`, ...queues].join(' | ');
  }
}
