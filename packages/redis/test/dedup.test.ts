import { afterAll, describe, expect, it } from 'vitest';
import {
  addAll,
  backend,
  closeAll,
  complete,
  job,
  leaseOne,
  sleep,
  svc,
  uniquePrefix,
} from './helpers.js';

const prefix = uniquePrefix('dedup');
let n = 0;
const qname = () => `q${++n}`;

describe.skipIf(svc.skip !== undefined)('redis backend: deduplication', () => {
  afterAll(() => closeAll(prefix));

  it('makes exactly one owner under 20 concurrent producers (separate connections)', async () => {
    const producers = Array.from({ length: 20 }, () => backend(prefix));
    await Promise.all(producers.map((p) => p.ready()));
    const q = qname();
    const results = await Promise.all(
      producers.map((p, i) => p.jobs.add(q, [job({ payload: String(i), dedup: { id: 'one' } })])),
    );
    const flat = results.flat();
    const added = flat.filter((r) => r.status === 'added');
    expect(added).toHaveLength(1);
    const owner = added[0]!.id;
    expect(flat.filter((r) => r.status === 'deduplicated' && r.id === owner)).toHaveLength(19);
    expect((await producers[0]!.admin.counts(q)).waiting).toBe(1);
    expect(await producers[0]!.admin.getDedupOwner(q, 'one')).toBe(owner);
  });

  it('simple mode: deduplicates while the owner is unfinished, frees the key after', async () => {
    const b = backend(prefix);
    const q = qname();
    const [owner] = await addAll(b, q, [{ dedup: { id: 'k' } }]);
    expect(await b.jobs.add(q, [job({ dedup: { id: 'k' } })])).toEqual([
      { status: 'deduplicated', id: owner },
    ]);
    await complete(b, q, await leaseOne(b, q));
    expect(await b.admin.getDedupOwner(q, 'k')).toBeNull();
    expect((await b.jobs.add(q, [job({ dedup: { id: 'k' } })]))[0]?.status).toBe('added');
  });

  it('throttle mode: the key outlives its owner until the ttl, extend restarts it', async () => {
    const b = backend(prefix);
    const q = qname();
    const ttl = 600;
    const [owner] = await addAll(b, q, [{ dedup: { id: 't', ttl } }]);
    await complete(b, q, await leaseOne(b, q));
    expect(await b.admin.getDedupOwner(q, 't')).toBe(owner);
    await sleep(400);
    expect(await b.jobs.add(q, [job({ dedup: { id: 't', ttl, extend: true } })])).toEqual([
      { status: 'deduplicated', id: owner },
    ]);
    await sleep(300); // past the first ttl, inside the extended one
    expect(await b.admin.getDedupOwner(q, 't')).toBe(owner);
    await sleep(500);
    expect(await b.admin.getDedupOwner(q, 't')).toBeNull();
    expect((await b.jobs.add(q, [job({ dedup: { id: 't', ttl } })]))[0]?.status).toBe('added');
  });

  it('replace mode: debounces a delayed owner, keeps a running one', async () => {
    const b = backend(prefix);
    const q = qname();
    const [first] = await addAll(b, q, [{ delay: 10_000, dedup: { id: 'r', replace: true } }]);
    const res = await b.jobs.add(q, [
      job({ payload: '2', delay: 10_000, dedup: { id: 'r', replace: true } }),
    ]);
    expect(res[0]).toMatchObject({ status: 'replaced', replacedId: first });
    const second = res[0]!.id;
    expect(await b.admin.get(q, first!)).toBeNull();
    expect(await b.admin.getDedupOwner(q, 'r')).toBe(second);
    expect(await b.admin.counts(q)).toMatchObject({ delayed: 1 });
    await b.admin.promote(q, { ids: [second] });
    await leaseOne(b, q);
    expect(await b.jobs.add(q, [job({ dedup: { id: 'r', replace: true } })])).toEqual([
      { status: 'deduplicated', id: second },
    ]);
  });

  it('removes a dedup key on request', async () => {
    const b = backend(prefix);
    const q = qname();
    await addAll(b, q, [{ dedup: { id: 'x' } }]);
    expect(await b.admin.removeDedupKey(q, 'x')).toBe(true);
    expect(await b.admin.removeDedupKey(q, 'x')).toBe(false);
    expect((await b.jobs.add(q, [job({ dedup: { id: 'x' } })]))[0]?.status).toBe('added');
  });
});
