/** Something that remembers its slot in an {@link IndexedHeap}; `-1` when in none. */
export interface HeapItem {
  heapIndex: number;
}

/**
 * A binary min-heap whose items record their own index, so an item can be removed or
 * re-keyed in O(log n) without a search. An item sits in at most one heap at a time
 * (a job is waiting, delayed or active, never two of them), so one index field suffices.
 */
export class IndexedHeap<T extends HeapItem> {
  /** The heap array; exposed for read-only traversals (listing), never mutate it. */
  readonly items: T[] = [];

  /** @param before true when `a` must come out before `b`. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const i = this.items.length;
    this.items.push(item);
    item.heapIndex = i;
    this.up(i);
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as T;
    if (last !== top) {
      items[0] = last;
      last.heapIndex = 0;
      this.down(0);
    }
    top.heapIndex = -1;
    return top;
  }

  /** True when `item` is in this heap. */
  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  /** Removes `item` if present; O(log n). */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const i = item.heapIndex;
    const last = this.items.pop() as T;
    if (last !== item) {
      this.items[i] = last;
      last.heapIndex = i;
      this.fix(i);
    }
    item.heapIndex = -1;
    return true;
  }

  /** Restores order after the sort key of `item` changed. */
  update(item: T): void {
    if (this.has(item)) this.fix(item.heapIndex);
  }

  /** Empties the heap and returns what it held (in heap order, not sorted). */
  clear(): T[] {
    const all = this.items.splice(0);
    for (const item of all) item.heapIndex = -1;
    return all;
  }

  private fix(i: number): void {
    if (i > 0 && this.before(this.items[i] as T, this.items[(i - 1) >> 1] as T)) this.up(i);
    else this.down(i);
  }

  private up(start: number): void {
    const items = this.items;
    const item = items[start] as T;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p] as T;
      if (!this.before(item, parent)) break;
      items[i] = parent;
      parent.heapIndex = i;
      i = p;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(start: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[start] as T;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.before(items[r] as T, items[l] as T)) c = r;
      const child = items[c] as T;
      if (!this.before(child, item)) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}

/**
 * The first `count` items of `heap` in pop order, without disturbing it: a best-first
 * walk over the heap tree, O(count log count) instead of sorting the whole heap.
 */
export function heapHead<T extends HeapItem>(
  heap: IndexedHeap<T>,
  before: (a: T, b: T) => boolean,
  count: number,
): T[] {
  const items = heap.items;
  const out: T[] = [];
  if (items.length === 0 || count <= 0) return out;
  // A small plain heap of indices into `items`: the frontier of the walk.
  const frontier: number[] = [0];
  const less = (a: number, b: number) => before(items[a] as T, items[b] as T);
  while (out.length < count && frontier.length > 0) {
    const top = frontier[0] as number;
    const last = frontier.pop() as number;
    if (frontier.length > 0) {
      frontier[0] = last;
      siftDown(frontier, less);
    }
    out.push(items[top] as T);
    for (const child of [2 * top + 1, 2 * top + 2]) {
      if (child < items.length) {
        frontier.push(child);
        siftUp(frontier, less);
      }
    }
  }
  return out;
}

function siftUp(a: number[], less: (x: number, y: number) => boolean): void {
  let i = a.length - 1;
  const v = a[i] as number;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pv = a[p] as number;
    if (!less(v, pv)) break;
    a[i] = pv;
    i = p;
  }
  a[i] = v;
}

function siftDown(a: number[], less: (x: number, y: number) => boolean): void {
  const n = a.length;
  let i = 0;
  const v = a[0] as number;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    let c = l;
    if (r < n && less(a[r] as number, a[l] as number)) c = r;
    const cv = a[c] as number;
    if (!less(cv, v)) break;
    a[i] = cv;
    i = c;
  }
  a[i] = v;
}
