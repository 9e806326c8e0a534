import type { MongoContext } from './context.js';
import { isDuplicateKey } from './context.js';

/** The `_id` of a queue's meta document. */
export function metaKey(queue: string): string {
  return `q|${queue}`;
}

/**
 * The `_id` of a queue's counter document. Each counter has its own document: FerretDB
 * rewrites a whole document per update, so counters sharing one would lose each other's
 * increments (and the pause flag) under concurrent writers.
 */
export function counterKey(queue: string, field: 'seq' | 'eseq'): string {
  return `${field}|${queue}`;
}

/**
 * Reserves `n` consecutive numbers of the queue's counter `field` (add or event
 * sequence) in one atomic `$inc`; returns the first. Numbers are unique across
 * processes, so auto job ids never collide and FIFO order holds across producers.
 */
export async function allocate(
  ctx: MongoContext,
  queue: string,
  field: 'seq' | 'eseq',
  n: number,
): Promise<number> {
  const _id = counterKey(queue, field);
  for (let attempt = 0; ; attempt++) {
    // No projection: FerretDB refuses `fields` on findAndModify. No upsert either: racing
    // first upserts of one counter can both succeed on some servers (mongo-java-server)
    // and hand out the same numbers; the counter is created by a plain insert instead.
    const doc = await ctx.meta.findOneAndUpdate(
      { _id },
      { $inc: { [field]: n } },
      { returnDocument: 'after' },
    );
    if (doc !== null) return ((doc[field] as number | undefined) ?? n) - n + 1;
    try {
      await ctx.meta.insertOne({ _id, q: queue, [field]: 0 });
    } catch (err) {
      // Another process created it first: increment it on the next round.
      if (!isDuplicateKey(err) || attempt >= 3) throw err;
    }
  }
}

/**
 * A process-local hybrid clock: strictly increasing, close to `now × 1024`. Orders
 * finished jobs (the retention count and list order) without a round trip; across
 * processes it follows the wall clock.
 */
export class FinishClock {
  private last = 0;

  next(now: number): number {
    this.last = Math.max(this.last + 1, now * 1024);
    return this.last;
  }
}
