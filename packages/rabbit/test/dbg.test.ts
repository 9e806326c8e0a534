import { it, expect } from 'vitest';
import { rabbit, storeFixture, unique, sleep } from './helpers.js';
it('dbg', async () => {
  const f = storeFixture('redis');
  const prefix = unique('dbg');
  const a = rabbit(await f.create(), prefix, { onError: (e) => console.log('ERR', e) });
  const b = rabbit(await f.create(), prefix, { onError: (e) => console.log('ERR', e) });
  await a.ready(); await b.ready();
  const t0 = Date.now();
  let woke = 0;
  void a.jobs.waitForWork('q1', { signal: AbortSignal.timeout(5000), maxWaitMs: 5000 }).then(() => { woke = Date.now(); });
  await sleep(50);
  const added = Date.now();
  await b.jobs.add('q1', [{ name: 'x', payload: 'null', priority: 0, lifo: false, delay: 0, opts: { attempts: 1, removeOnComplete: false, removeOnFail: false } }]);
  while (!woke && Date.now() - t0 < 5000) await sleep(10);
  console.log('woke after', woke - added);
  await a.admin.obliterate('q1', true);
  await a.close(); await b.close(); await f.cleanup();
});
