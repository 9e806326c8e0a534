import { afterAll, describe, expect, it } from 'vitest';
import { createMongoBackend, type MongoBackend } from '../src/index.js';
import { dropPrefix, javaSvc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('locks');

// Exclusion across backends (each its own client and connection pool, as separate
// processes would have). mongo-java-server: atomic single-document upserts.
describe.skipIf(javaSvc.skip !== undefined)('locks across backends (mongo-java-server)', () => {
  const url = javaSvc.url as string;
  const backends: MongoBackend[] = [];
  const open = async () => {
    const b = createMongoBackend({ url, dbName: 'mq_test', prefix });
    backends.push(b);
    await b.ready();
    return b;
  };
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.close()));
    await dropPrefix(url, prefix);
  });

  it('of 5 backends × 10 owners racing for one lock exactly one wins; others see it held', async () => {
    const bs = await Promise.all(Array.from({ length: 5 }, open));
    const tries = await Promise.all(
      bs.flatMap((b, i) =>
        Array.from({ length: 10 }, (_, k) =>
          b.locks
            .acquire('one', `o${i}-${k}`, 60_000)
            .then((won) => ({ won, owner: `o${i}-${k}` })),
        ),
      ),
    );
    const winners = tries.filter((t) => t.won);
    expect(winners).toHaveLength(1);
    const owner = winners[0]!.owner;
    const other = bs[1]!;
    expect(await other.locks.acquire('one', 'late', 60_000)).toBe(false);
    expect(await other.locks.renew('one', 'late', 60_000)).toBe(false);
    expect(await other.locks.release('one', 'late')).toBe(false);
    // The owner renews and releases from any backend; then the lock is free.
    expect(await other.locks.renew('one', owner, 60_000)).toBe(true);
    expect(await bs[2]!.locks.release('one', owner)).toBe(true);
    expect(await bs[3]!.locks.acquire('one', 'late', 60_000)).toBe(true);
  });

  it('an expired lock is taken by another owner, and the old owner can no longer renew it', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    expect(await a!.locks.acquire('short', 'first', 50)).toBe(true);
    expect(await b!.locks.acquire('short', 'second', 60_000)).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(await b!.locks.acquire('short', 'second', 60_000)).toBe(true);
    expect(await a!.locks.renew('short', 'first', 60_000)).toBe(false);
    expect(await a!.locks.release('short', 'first')).toBe(false);
  });
});
