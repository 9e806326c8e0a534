import type { Static } from '@sinclair/typebox';
import { CliUsageError } from '../../errors.js';
import type { listJobs } from '../../operations/ops/job-views.js';
import type { CliContext, Values } from './context.js';
import { parseCount, parseSince } from './format.js';

/** A job row as `jobs.list` returns it. */
export type JobRow = Static<typeof listJobs.result>['jobs'][number];

const STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;

/** The filter flags shared by `jobs` and the by-filter actions. */
export const FILTER_OPTIONS = {
  state: { type: 'string' },
  name: { type: 'string' },
  since: { type: 'string' },
  search: { type: 'string' },
  limit: { type: 'string' },
} as const;

/** Help lines of {@link FILTER_OPTIONS}. */
export const FILTER_FLAGS = [
  '--state <s>       waiting | delayed | active | completed | failed',
  '--name <name>     only jobs of this name',
  '--since <when>    created since: a duration back (10m, 2h, 7d), an ISO date or ms epoch',
  '--search <text>   id, name or error text contains it (case-insensitive)',
  '--limit <n>       at most n jobs',
];

/** The `jobs.list` filter of the flags (state defaulting to `fallbackState`). */
export function filterOf(
  values: Values,
  fallbackState: (typeof STATES)[number],
): Record<string, unknown> {
  const state = (values.state as string | undefined) ?? fallbackState;
  if (!(STATES as readonly string[]).includes(state))
    throw new CliUsageError(`--state must be one of ${STATES.join(', ')}, got "${state}".`);
  return {
    state,
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values.since !== undefined
      ? { since: parseSince(values.since as string, Date.now()) }
      : {}),
    ...(values.search !== undefined ? { search: values.search } : {}),
  };
}

/** Whether any filter flag beyond `--state`/`--limit` was given. */
export function hasFineFilter(values: Values): boolean {
  return values.name !== undefined || values.since !== undefined || values.search !== undefined;
}

/** Reads up to `limit` jobs matching `filter` through `jobs.list`, page by page. */
export async function collectJobs(
  ctx: CliContext,
  queue: string,
  filter: Record<string, unknown>,
  limit: number,
): Promise<JobRow[]> {
  const jobs: JobRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.exec<{ jobs: JobRow[]; nextCursor?: string }>('jobs.list', {
      queue,
      ...filter,
      limit: Math.min(200, limit - jobs.length),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    jobs.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor !== undefined && jobs.length < limit);
  return jobs.slice(0, limit);
}

/** `--limit` of a by-filter action (default 1,000). */
export function limitOf(values: Values, fallback = 1000): number {
  return parseCount(values.limit as string | undefined, '--limit', fallback);
}

/** Splits ids into the operations' request bound (1,000 per call). */
export function chunks<T>(list: readonly T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
