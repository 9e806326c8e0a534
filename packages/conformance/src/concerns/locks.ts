import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { uniqueName } from '../support/names.js';
import { sleep } from '../support/wait-for.js';

/** Named locks with an owner and a TTL; exclusion across processes with `distributedLocks`. */
export function locks(env: SuiteEnv): void {
  const h = useHarness(env, 'locks');
  const ttl = () => Math.max(50, 4 * env.timing.tickMs);

  it('acquire excludes other owners; the holder re-acquires, renews and releases', async () => {
    const locks = h.backend.locks;
    const name = uniqueName('locks');
    expect(await locks.acquire(name, 'a', 60_000)).toBe(true);
    expect(await locks.acquire(name, 'b', 60_000)).toBe(false);
    expect(await locks.acquire(name, 'a', 60_000)).toBe(true);
    expect(await locks.renew(name, 'a', 60_000)).toBe(true);
    expect(await locks.renew(name, 'b', 60_000)).toBe(false);
    expect(await locks.release(name, 'b')).toBe(false);
    expect(await locks.acquire(name, 'b', 60_000)).toBe(false);
    expect(await locks.release(name, 'a')).toBe(true);
    expect(await locks.release(name, 'a')).toBe(false);
    expect(await locks.renew(name, 'a', 60_000)).toBe(false);
    expect(await locks.acquire(name, 'b', 60_000)).toBe(true);
    await locks.release(name, 'b');
  });

  it('locks of different names are independent', async () => {
    const locks = h.backend.locks;
    const one = uniqueName('locks');
    const two = uniqueName('locks');
    expect(await locks.acquire(one, 'a', 60_000)).toBe(true);
    expect(await locks.acquire(two, 'b', 60_000)).toBe(true);
    await locks.release(one, 'a');
    await locks.release(two, 'b');
  });

  it('an expired lock can be taken by another owner, and the old holder cannot renew it', async () => {
    const locks = h.backend.locks;
    const name = uniqueName('locks');
    expect(await locks.acquire(name, 'a', ttl())).toBe(true);
    expect(await locks.acquire(name, 'b', ttl())).toBe(false);
    await sleep(ttl() + 2 * env.timing.tickMs);
    expect(await locks.acquire(name, 'b', 60_000)).toBe(true);
    expect(await locks.renew(name, 'a', 60_000)).toBe(false);
    expect(await locks.release(name, 'a')).toBe(false);
    await locks.release(name, 'b');
  });

  it('renew extends the ttl from now', async () => {
    const locks = h.backend.locks;
    const name = uniqueName('locks');
    expect(await locks.acquire(name, 'a', ttl())).toBe(true);
    await sleep(ttl() / 2);
    expect(await locks.renew(name, 'a', 60_000)).toBe(true);
    await sleep(ttl());
    expect(await locks.acquire(name, 'b', 60_000)).toBe(false);
    await locks.release(name, 'a');
  });

  it('20 concurrent acquires: exactly one owner', async () => {
    const locks = h.backend.locks;
    const name = uniqueName('locks');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => locks.acquire(name, `owner-${i}`, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const owner = `owner-${results.indexOf(true)}`;
    expect(await locks.release(name, owner)).toBe(true);
  });

  it('two backend instances exclude each other (distributedLocks)', async (ctx) => {
    // Needs capability `distributedLocks`: without it locks exclude within one process only.
    ctx.skip(!env.capabilities.distributedLocks, 'backend does not declare distributedLocks');
    const other = await env.createBackend();
    const name = uniqueName('locks');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? h.backend : other).locks.acquire(name, `owner-${i}`, 60_000),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    const loser = winner % 2 === 0 ? other : h.backend;
    expect(await loser.locks.acquire(name, 'late', 60_000)).toBe(false);
    expect(await loser.locks.release(name, `owner-${winner}`)).toBe(true);
    expect(await loser.locks.acquire(name, 'late', 60_000)).toBe(true);
    await loser.locks.release(name, 'late');
  });
}
