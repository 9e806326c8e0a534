/** The timeline of one demo run, derived from its total duration. */
export interface DemoPlan {
  /** Target total run time in ms. */
  durationMs: number;
  /** Producers add jobs for this long (70% of the run), then stop. */
  produceForMs: number;
  /** Longest `delay` a producer gives a job, so the last delayed job comes due in time. */
  maxDelayMs: number;
  /** When the email producer queues its newsletter campaign (a visible backlog). */
  campaignAtMs: number;
  /** Newsletters in the campaign. */
  campaignSize: number;
  /** Pause between two batches of one producer, in ms. */
  tickMs: number;
  /** Past this, the run stops waiting for jobs to settle and closes anyway (a bug). */
  settleDeadlineMs: number;
}

/** The plan of a run of `durationMs` ms (the default run is 12 s). */
export function planFor(durationMs: number): DemoPlan {
  const scale = Math.min(1, durationMs / 12_000);
  return {
    durationMs,
    produceForMs: Math.round(durationMs * 0.7),
    maxDelayMs: Math.round(Math.min(2500, durationMs * 0.15)),
    campaignAtMs: Math.round(durationMs * 0.35),
    campaignSize: Math.max(20, Math.round(300 * scale)),
    tickMs: 100,
    settleDeadlineMs: durationMs + Math.max(5000, durationMs / 2),
  };
}
