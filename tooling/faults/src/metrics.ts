import type { JobRecord } from '@mq/core';
import type { LedgerEvent } from './ledger.js';

/** One fault the suite injected: `[at, end]`, on one worker process when `pid` is set. */
export interface Fault {
  label: string;
  at: number;
  end: number;
  pid?: number;
  /** A graceful stop: the jobs it interrupts must finish where they run (no re-run allowed). */
  graceful?: boolean;
}

/** What the suite knows at the end of one scenario on one backend. */
export interface Observed {
  events: LedgerEvent[];
  faults: Fault[];
  /** Every job id the producers tried to add, with its record at the end (null: absent). */
  records: Map<string, JobRecord | null>;
  /** Jobs in the queue at the end, all states (counts). */
  storeTotal: number;
  crashed: number;
  hung: number;
}

/** The figures of one cell of the table. */
export interface Figures {
  jobs: number;
  /** Acknowledged to a producer, absent from the store at the end. */
  ackedLost: number;
  /** In the store but neither completed nor failed at the end. */
  jobsLost: number;
  failed: number;
  /** Executions beyond the first, over all jobs. */
  extra: number;
  /** Executions the faults cut short: the bound `extra` must stay within. */
  inFlight: number;
  /** Jobs whose completion the queue accepted twice (ledger) or recorded twice (attemptsMade). */
  doubleCompleted: number;
  /** Jobs in the store beyond one per jobId (a retried add that made a second job). */
  dupAdds: number;
  /** Longest fault end → first completion after it, ms (null: no fault). */
  recoveryMs: number | null;
  /** Longest fault → completion of a job the fault cut short, ms. */
  rerunMs: number | null;
  producerErrors: number;
  crashed: number;
  hung: number;
}

interface Execution {
  job: string;
  pid: number;
  start: number;
  /** When this process's completion of it was accepted (Infinity: never). */
  completed: number;
}

/** Pairs each `start` with the same process's next `completed` of that job. */
function executions(events: LedgerEvent[]): Execution[] {
  const open = new Map<string, Execution[]>();
  const all: Execution[] = [];
  for (const e of events) {
    if (e.job === undefined) continue;
    const key = `${e.pid}/${e.job}`;
    if (e.ev === 'start') {
      const x: Execution = { job: e.job, pid: e.pid, start: e.t, completed: Infinity };
      all.push(x);
      open.set(key, [...(open.get(key) ?? []), x]);
    } else if (e.ev === 'completed') {
      const x = open.get(key)?.find((o) => o.completed === Infinity);
      if (x) x.completed = e.t;
    }
  }
  return all;
}

/** Counts the figures of one scenario run. */
export function figures(o: Observed): Figures {
  const acked = new Set<string>();
  const completions = new Map<string, number[]>();
  const starts = new Map<string, number>();
  let producerErrors = 0;
  for (const e of o.events) {
    if (e.job === undefined) continue;
    if (e.ev === 'acked') acked.add(e.job);
    else if (e.ev === 'add-error') producerErrors++;
    else if (e.ev === 'start') starts.set(e.job, (starts.get(e.job) ?? 0) + 1);
    else if (e.ev === 'completed') completions.set(e.job, [...(completions.get(e.job) ?? []), e.t]);
  }
  let ackedLost = 0;
  let jobsLost = 0;
  let failed = 0;
  let doubleCompleted = 0;
  let present = 0;
  for (const [id, r] of o.records) {
    if (r !== null) present++;
    if (!acked.has(id)) continue;
    if (r === null) ackedLost++;
    else if (r.state === 'failed') failed++;
    else if (r.state !== 'completed') jobsLost++;
    const twiceInLedger = (completions.get(id)?.length ?? 0) > 1;
    const twiceInStore = r !== null && r.state === 'completed' && r.attemptsMade > 1;
    if (twiceInLedger || twiceInStore) doubleCompleted++;
  }
  let extra = 0;
  for (const n of starts.values()) extra += Math.max(0, n - 1);

  const execs = executions(o.events);
  let inFlight = 0;
  let rerunMs: number | null = null;
  let recoveryMs: number | null = null;
  const firstCompletionAfter = (t: number): number | undefined =>
    o.events.find((e) => e.ev === 'completed' && e.t > t)?.t;
  for (const f of o.faults) {
    const cut = execs.filter(
      (x) => x.start <= f.end && x.completed > f.at && (f.pid === undefined || x.pid === f.pid),
    );
    if (!f.graceful) inFlight += cut.length;
    for (const x of cut) {
      const done = completions.get(x.job)?.find((t) => t > f.at);
      if (done !== undefined) rerunMs = Math.max(rerunMs ?? 0, done - f.at);
    }
    const first = firstCompletionAfter(f.end);
    if (first !== undefined) recoveryMs = Math.max(recoveryMs ?? 0, first - f.end);
  }
  return {
    jobs: acked.size,
    ackedLost,
    jobsLost,
    failed,
    extra,
    inFlight,
    doubleCompleted,
    dupAdds: Math.max(0, o.storeTotal - present),
    recoveryMs,
    rerunMs,
    producerErrors,
    crashed: o.crashed,
    hung: o.hung,
  };
}

/** Why a cell fails (empty: it passes). */
export function failures(f: Figures): string[] {
  const out: string[] = [];
  if (f.ackedLost > 0) out.push(`${f.ackedLost} acknowledged adds lost`);
  if (f.jobsLost > 0) out.push(`${f.jobsLost} jobs never finished`);
  if (f.doubleCompleted > 0) out.push(`${f.doubleCompleted} jobs completed twice`);
  if (f.dupAdds > 0) out.push(`${f.dupAdds} duplicate jobs from retried adds`);
  if (f.extra > f.inFlight) out.push(`${f.extra} extra executions > ${f.inFlight} in flight`);
  if (f.crashed > 0) out.push(`${f.crashed} processes crashed`);
  if (f.hung > 0) out.push(`${f.hung} processes hung`);
  return out;
}
