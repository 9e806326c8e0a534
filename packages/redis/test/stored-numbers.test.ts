import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { KeySpace } from '../src/keys.js';
import { addAll, backend, closeAll, leaseOne, svc, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix('numbers');
let n = 0;
const qname = () => `q${++n}`;

describe.skipIf(svc.skip !== undefined)('redis backend: numbers as stored', () => {
  afterAll(() => closeAll(prefix));

  it('writes huge retention limits as plain integers', async () => {
    const b = backend(prefix);
    const q = qname();
    const opts = {
      attempts: 1,
      removeOnComplete: { age: 1e300, count: 2 ** 40 },
      removeOnFail: 1e300,
    };
    const [id] = await addAll(b, q, [{ opts }]);
    const r = new Redis(svc.url!);
    try {
      expect(await r.hget(new KeySpace(prefix).job(q, id!), 'k')).toBe(
        '8640000000000000:2147483647|-1:2147483647',
      );
    } finally {
      r.disconnect();
    }
  });

  it('a policy an older version stored as "1e+300" keeps the job and the settle reports ok', async () => {
    const b = backend(prefix);
    const q = qname();
    const [id] = await addAll(b, q, [
      { opts: { attempts: 1, removeOnComplete: 5, removeOnFail: 5 } },
    ]);
    const r = new Redis(svc.url!);
    try {
      await r.hset(new KeySpace(prefix).job(q, id!), 'k', '1e+300:-1|-1:1e+300');
    } finally {
      r.disconnect();
    }
    const lease = await leaseOne(b, q);
    const res = await b.jobs.settle(q, [{ jobId: id!, token: lease.token, kind: 'completed' }]);
    expect(res.results).toEqual(['ok']);
    expect((await b.admin.get(q, id!))?.state).toBe('completed');
  });
});
