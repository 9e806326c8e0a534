/** A node of a {@link LinkedJobList}: the links live on the item itself (no allocation). */
export interface ListNode<T> {
  prev: T | undefined;
  next: T | undefined;
}

/**
 * An intrusive doubly linked list in insertion order. Finished jobs live here in finish
 * order, so retention drops the oldest in O(1) and `retry`/`remove` unlink from the middle
 * in O(1). (A `Map` would keep the order too, but deleting its oldest entry over and over
 * leaves holes that every new iterator has to skip.)
 */
export class LinkedJobList<T extends ListNode<T>> {
  head: T | undefined = undefined;
  tail: T | undefined = undefined;
  size = 0;

  append(node: T): void {
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`; the caller guarantees it is in this list (its state says so). */
  unlink(node: T): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.size--;
  }

  /** Empties the list and returns what it held, oldest first. */
  clear(): T[] {
    const out: T[] = [];
    let node = this.head;
    while (node) {
      const next = node.next;
      node.prev = undefined;
      node.next = undefined;
      out.push(node);
      node = next;
    }
    this.head = undefined;
    this.tail = undefined;
    this.size = 0;
    return out;
  }

  /** Items from oldest (`asc`) or newest (`desc`), skipping `offset`, at most `limit`. */
  page(order: 'asc' | 'desc', offset: number, limit: number): T[] {
    const out: T[] = [];
    let node = order === 'asc' ? this.head : this.tail;
    let skip = offset;
    while (node && out.length < limit) {
      if (skip > 0) skip--;
      else out.push(node);
      node = order === 'asc' ? node.next : node.prev;
    }
    return out;
  }
}
