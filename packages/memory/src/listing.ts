import type { ListRequest } from '@mq/core';
import { heapHead, type IndexedHeap } from './heap.js';
import type { QueueState } from './queue-state.js';
import { delayedBefore, type StoredJob, waitingBefore } from './stored-job.js';

/**
 * One page of a state in the order `ListRequest.order` defines: waiting in reservation
 * order, delayed by runAt, active by lease grant, completed/failed by finish time.
 * Lists page directly; an ascending page of a heap walks only as far as it needs, and a
 * descending one sorts a copy.
 */
export function listJobs(q: QueueState, req: ListRequest): StoredJob[] {
  const offset = Math.max(0, req.offset);
  const limit = Math.max(0, req.limit);
  if (limit === 0) return [];
  switch (req.state) {
    case 'waiting':
      return pageHeap(q.waiting, waitingBefore, req.order, offset, limit);
    case 'delayed':
      return pageHeap(q.delayed, delayedBefore, req.order, offset, limit);
    case 'active':
      return q.active.page(req.order, offset, limit);
    case 'completed':
      return q.completed.page(req.order, offset, limit);
    case 'failed':
      return q.failed.page(req.order, offset, limit);
  }
}

function pageHeap(
  heap: IndexedHeap<StoredJob>,
  before: (a: StoredJob, b: StoredJob) => boolean,
  order: 'asc' | 'desc',
  offset: number,
  limit: number,
): StoredJob[] {
  if (offset >= heap.size) return [];
  if (order === 'asc') return heapHead(heap, before, offset + limit).slice(offset);
  const sorted = sortBy(heap.items, before);
  if (order === 'desc') sorted.reverse();
  return sorted.slice(offset, offset + limit);
}

/** A sorted copy of `items`. */
export function sortBy(
  items: readonly StoredJob[],
  before: (a: StoredJob, b: StoredJob) => boolean,
): StoredJob[] {
  return [...items].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
