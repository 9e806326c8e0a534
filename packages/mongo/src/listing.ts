import type { JobState, ListRequest } from '@mq/core';
import type { Filter, Sort } from 'mongodb';
import type { JobDoc } from './documents.js';

/** The filter and ascending sort of the jobs of `state` (see `ListRequest.order`). */
export function stateQuery(
  queue: string,
  state: JobState,
  now: number,
): { filter: Filter<JobDoc>; sort: Record<string, 1 | -1> } {
  switch (state) {
    case 'waiting':
      return {
        filter: { q: queue, st: 'queued', runAt: { $lte: now } },
        sort: { pri: -1, ord: 1 },
      };
    case 'delayed':
      return {
        filter: { q: queue, st: 'queued', runAt: { $gt: now } },
        sort: { runAt: 1, ord: 1 },
      };
    case 'active':
      return { filter: { q: queue, st: 'active' }, sort: { ls: 1, ord: 1 } };
    case 'completed':
    case 'failed':
      return { filter: { q: queue, st: state }, sort: { fs: 1 } };
  }
}

/** `sort` reversed (a `desc` page). */
export function reversed(sort: Record<string, 1 | -1>): Sort {
  const out: Record<string, 1 | -1> = {};
  for (const [k, v] of Object.entries(sort)) out[k] = v === 1 ? -1 : 1;
  return out;
}

/** Filter, sort, skip and limit of one `list` page. */
export function pageQuery(queue: string, req: ListRequest, now: number) {
  const { filter, sort } = stateQuery(queue, req.state, now);
  return {
    filter,
    sort: req.order === 'asc' ? sort : reversed(sort),
    skip: Math.max(0, req.offset),
    limit: Math.max(0, req.limit),
  };
}
