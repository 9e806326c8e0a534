import { type Backend, Queue, Worker } from '@mq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_QUEUE, OPERATIONS } from '../src/index.js';
import { backendsUnderTest, call, type Served, serveAdmin, until } from './harness.js';

for (const under of backendsUnderTest()) {
  describe.skipIf(under.skip !== undefined)(`admin API over HTTP on ${under.name}`, () => {
    let backend: Backend;
    let served: Served;
    let url: string;
    const qn = `emails-${under.name}`;
    let queue: Queue;
    let api: (path: string) => string;
    let failNext = true;
    let failedIds: string[] = [];

    beforeAll(async () => {
      backend = await under.create();
      served = await serveAdmin({
        backends: { main: backend },
        redact: { paths: { [qn]: ['user.email'] } },
      });
      url = served.url;
      api = (p) => `/api/backends/main/queues/${qn}${p}`;
      queue = new Queue(qn, { backend });
      // 3 jobs that complete, 4 that fail with one error pattern (ids vary in the text).
      await queue.addBulk([
        ...[1, 2, 3].map((i) => ({ name: 'ok', data: { i } })),
        ...[11, 12, 13, 14].map((i) => ({
          name: 'send',
          data: { i, user: { email: `u${i}@example.com`, password: 'hunter2' } },
          opts: { attempts: 1 },
        })),
      ]);
      const w = new Worker(
        qn,
        async (job) => {
          if (job.name === 'send' && failNext)
            throw new Error(`user ${String((job.data as { i: number }).i)} not found`);
          return { done: true };
        },
        { backend, concurrency: 4, heartbeatIntervalMs: 100 },
      );
      await until(
        async () => {
          const c = await queue.getCounts();
          return c.completed === 3 && c.failed === 4;
        },
        15_000,
        'the first jobs to settle',
      );
      await w.close();
      failedIds = (await queue.getJobs('failed')).map((j) => j.id).sort();
    });

    afterAll(async () => {
      await queue?.close();
      await served?.close();
      await under.cleanup();
    });

    it('refuses requests without a valid token (401) and unknown routes (404)', async () => {
      expect((await call(url, 'GET', '/api/queues')).status).toBe(401);
      const bad = await call(url, 'GET', '/api/queues', { token: 'not-a-token-at-all-xxxx' });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('MQ_ADMIN_UNAUTHENTICATED');
      expect((await call(url, 'GET', '/api/nope', { as: 'viewer' })).status).toBe(404);
      const me = await call(url, 'GET', '/api/whoami', { as: 'operator' });
      expect(me.body).toEqual({ id: 'otto', role: 'operator' });
    });

    it('serves an OpenAPI document with every operation', async () => {
      const r = await call(url, 'GET', '/api/openapi.json', { as: 'viewer' });
      expect(r.status).toBe(200);
      const ids = Object.values(
        r.body.paths as Record<string, Record<string, { operationId: string }>>,
      ).flatMap((p) => Object.values(p).map((o) => o.operationId));
      expect(ids.sort()).toEqual(OPERATIONS.map((o) => o.id).sort());
    });

    it('overview: counts, pause, workers, no-live-worker warning; hides the audit queue', async () => {
      await queue.add('later', { x: 1 });
      served.admin.operations.snapshots.invalidate('main');
      const r = await call(url, 'GET', '/api/queues', { as: 'viewer' });
      expect(r.status).toBe(200);
      const q = r.body.queues.find((s: { queue: string }) => s.queue === qn);
      expect(q.counts).toMatchObject({ waiting: 1, completed: 3, failed: 4, active: 0 });
      expect(q.paused).toBe(false);
      expect(q.workers).toBe(0);
      expect(q.warnings).toContain('no-live-worker');
      expect(q.oldestWaitingMs).toBeGreaterThanOrEqual(0);
      expect(r.body.queues.some((s: { queue: string }) => s.queue === AUDIT_QUEUE)).toBe(false);
      const h = await call(url, 'GET', api(''), { as: 'viewer' });
      const live = h.body.checks.find((c: { id: string }) => c.id === 'live-workers');
      expect(live.status).toBe('fail');
      expect(live.playbook).toMatch(/Backlog rising/);
      expect(
        (await call(url, 'GET', '/api/backends/main/queues/nope-queue', { as: 'viewer' })).status,
      ).toBe(404);
    });

    it('shares one counts computation among concurrent viewers', async () => {
      // Its own admin with a long interval, so a slow machine cannot split the burst.
      const own = await serveAdmin({ backends: { main: backend }, snapshotMs: 60_000 });
      try {
        const snaps = own.admin.operations.snapshots;
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => call(own.url, 'GET', '/api/queues', { as: 'viewer' })),
        );
        expect(replies.every((r) => r.status === 200)).toBe(true);
        expect(snaps.computations).toBe(1);
      } finally {
        await own.close();
      }
    });

    it('lists jobs by state with cursor paging, search and id lookup', async () => {
      const p1 = await call(url, 'GET', `${api('/jobs')}?state=failed&limit=2&order=asc`, {
        as: 'viewer',
      });
      expect(p1.status).toBe(200);
      expect(p1.body.jobs).toHaveLength(2);
      expect(p1.body.nextCursor).toBeDefined();
      const p2 = await call(
        url,
        'GET',
        `${api('/jobs')}?state=failed&limit=2&order=asc&cursor=${p1.body.nextCursor}`,
        { as: 'viewer' },
      );
      const ids = [...p1.body.jobs, ...p2.body.jobs].map((j: { id: string }) => j.id).sort();
      expect(ids).toEqual(failedIds);
      const s = await call(url, 'GET', `${api('/jobs')}?state=failed&search=USER%2012`, {
        as: 'viewer',
      });
      expect(s.body.jobs.map((j: { error: { message: string } }) => j.error.message)).toEqual([
        'user 12 not found',
      ]);
      const byName = await call(url, 'GET', `${api('/jobs')}?state=completed&name=ok`, {
        as: 'viewer',
      });
      expect(byName.body.jobs).toHaveLength(3);
      const one = await call(url, 'GET', `${api('/jobs')}?state=failed&id=${failedIds[0]}`, {
        as: 'viewer',
      });
      expect(one.body.jobs.map((j: { id: string }) => j.id)).toEqual([failedIds[0]]);
      const bad = await call(url, 'GET', `${api('/jobs')}?state=lost&limit=5000`, { as: 'viewer' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('MQ_VALIDATION');
      expect(JSON.stringify(bad.body.error.issues)).toMatch(/state|limit/);
    });

    it('job detail masks secret keys and configured paths', async () => {
      const r = await call(url, 'GET', api(`/jobs/${failedIds[0]}`), { as: 'viewer' });
      expect(r.status).toBe(200);
      expect(r.body.job.data.user).toEqual({ email: '[redacted]', password: '[redacted]' });
      expect(typeof r.body.job.data.i).toBe('number');
      expect(r.body.job.fullError.message).toMatch(/not found/);
      expect(r.body.job.fullError.stack).toBeDefined();
      expect(JSON.stringify(r.body)).not.toContain('hunter2');
      expect((await call(url, 'GET', api('/jobs/no-such-job'), { as: 'viewer' })).status).toBe(404);
    });

    it('groups failures by fingerprint', async () => {
      const r = await call(url, 'GET', api('/failures'), { as: 'viewer' });
      expect(r.status).toBe(200);
      expect(r.body.groups).toHaveLength(1);
      expect(r.body.groups[0]).toMatchObject({
        count: 4,
        name: 'Error',
        message: 'user <n> not found',
        tasks: ['send'],
      });
    });

    it('a viewer cannot mutate (403, audited as forbidden)', async () => {
      const r = await call(url, 'POST', api('/pause'), {
        as: 'viewer',
        body: { reason: 'try it' },
      });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('MQ_ADMIN_FORBIDDEN');
      expect(await queue.isPaused()).toBe(false);
      const a = await call(url, 'GET', '/api/audit?limit=5', { as: 'viewer' });
      expect(a.body.records[0]).toMatchObject({
        actor: 'vera',
        role: 'viewer',
        action: 'queue.pause',
        outcome: 'forbidden',
        queue: qn,
        reason: 'try it',
      });
      const op = await call(url, 'POST', api('/obliterate'), {
        as: 'operator',
        body: { reason: 'try it', confirm: qn },
      });
      expect(op.status).toBe(403);
    });

    it('mutations need a reason', async () => {
      const r = await call(url, 'POST', api('/pause'), { as: 'operator', body: {} });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.error.issues)).toContain('reason');
    });

    it('pause and resume, each audited', async () => {
      expect(
        (
          await call(url, 'POST', api('/pause'), {
            as: 'operator',
            body: { reason: 'contain incident 7' },
          })
        ).status,
      ).toBe(200);
      expect(await queue.isPaused()).toBe(true);
      expect(
        (await call(url, 'POST', api('/resume'), { as: 'operator', body: { reason: 'fixed' } }))
          .status,
      ).toBe(200);
      expect(await queue.isPaused()).toBe(false);
      const a = await call(url, 'GET', '/api/audit?limit=2', { as: 'viewer' });
      expect(
        a.body.records.map((r: { action: string; outcome: string; actor: string }) => [
          r.action,
          r.outcome,
          r.actor,
        ]),
      ).toEqual([
        ['queue.resume', 'ok', 'otto'],
        ['queue.pause', 'ok', 'otto'],
      ]);
    });

    it('retry by error group needs the dry-run count; canary retry goes in waves', async () => {
      const groups = await call(url, 'GET', api('/failures'), { as: 'viewer' });
      const fp = groups.body.groups[0].fingerprint;
      const dry = await call(url, 'POST', api('/jobs/retry'), {
        as: 'operator',
        body: { select: { fingerprint: fp, limit: 100 }, reason: 'check', dryRun: true },
      });
      expect(dry.body).toMatchObject({ dryRun: true, count: 4 });
      const refused = await call(url, 'POST', api('/jobs/retry'), {
        as: 'operator',
        body: { select: { fingerprint: fp, limit: 100 }, reason: 'no confirm' },
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('MQ_ADMIN_CONFIRMATION');
      failNext = false;
      const w = new Worker(qn, async () => ({ ok: true }), {
        backend,
        concurrency: 4,
        heartbeatIntervalMs: 100,
      });
      try {
        const canary = await call(url, 'POST', api('/jobs/canary-retry'), {
          as: 'operator',
          body: {
            select: { fingerprint: fp, limit: 100 },
            size: 2,
            waves: 3,
            maxFailureRate: 0.5,
            waitMs: 10_000,
            reason: 'fix deployed',
          },
        });
        expect(canary.status).toBe(200);
        expect(canary.body.waves.map((x: { ids: string[] }) => x.ids.length)).toEqual([2, 2]);
        expect(canary.body.waves.every((x: { completed: number }) => x.completed === 2)).toBe(true);
        expect(canary.body.stopped).toBe('exhausted');
        expect((await queue.getCounts()).failed).toBe(0);
        // A live worker now: the workers view shows it with a fresh heartbeat.
        await until(
          async () =>
            (await call(url, 'GET', '/api/workers', { as: 'viewer' })).body.workers.length > 0,
          5000,
          'a worker heartbeat',
        );
        const ws = await call(url, 'GET', `/api/workers?queue=${qn}`, { as: 'viewer' });
        expect(ws.body.workers[0]).toMatchObject({ kind: 'worker', queue: qn, concurrency: 4 });
        expect(ws.body.workers[0].heartbeatAgeMs).toBeLessThan(5000);
      } finally {
        await w.close();
      }
      const a = await call(url, 'GET', '/api/audit?limit=2', { as: 'viewer' });
      expect(a.body.records[0]).toMatchObject({
        action: 'jobs.canaryRetry',
        outcome: 'ok',
        count: 4,
      });
      expect(a.body.records[1]).toMatchObject({ action: 'jobs.retry', outcome: 'refused' });
    });

    it('retry by ids and by state and limit', async () => {
      const [a, b] = await queue.addBulk([
        { name: 'r', data: {}, opts: { attempts: 1 } },
        { name: 'r', data: {}, opts: { attempts: 1 } },
      ]);
      await queue.cancelJob(a!.id);
      await queue.cancelJob(b!.id);
      const byIds = await call(url, 'POST', api('/jobs/retry'), {
        as: 'operator',
        body: { select: { ids: [a!.id, 'no-such-id'] }, reason: 'retry one' },
      });
      expect(byIds.body).toMatchObject({ dryRun: false, count: 1, ids: [a!.id] });
      expect((await queue.getJob(a!.id))?.state).toBe('waiting');
      const dry = await call(url, 'POST', api('/jobs/retry'), {
        as: 'operator',
        body: { select: { state: 'failed', limit: 10 }, reason: 'retry rest', dryRun: true },
      });
      expect(dry.body.count).toBe(1);
      const rest = await call(url, 'POST', api('/jobs/retry'), {
        as: 'operator',
        body: { select: { state: 'failed', limit: 10 }, reason: 'retry rest', confirmCount: 1 },
      });
      expect(rest.body.ids).toEqual([b!.id]);
      await queue.removeJob(a!.id);
      await queue.removeJob(b!.id);
    });

    it('promote, cancel and remove by ids', async () => {
      const [d1] = await queue.addBulk([{ name: 'later', data: {}, opts: { delay: 60_000 } }]);
      const p = await call(url, 'POST', api('/jobs/promote'), {
        as: 'operator',
        body: { ids: [d1!.id], reason: 'now' },
      });
      expect(p.body).toMatchObject({ count: 1, ids: [d1!.id] });
      expect((await queue.getJob(d1!.id))?.state).toBe('waiting');
      const c = await call(url, 'POST', api('/jobs/cancel'), {
        as: 'operator',
        body: { ids: [d1!.id], reason: 'not wanted' },
      });
      expect(c.body.results[d1!.id]).toBe('cancelled');
      expect((await queue.getJob(d1!.id))?.state).toBe('failed');
      const r = await call(url, 'POST', api('/jobs/remove'), {
        as: 'operator',
        body: { ids: [d1!.id], reason: 'tidy' },
      });
      expect(r.body.count).toBe(1);
      expect(await queue.getJob(d1!.id)).toBeNull();
    });

    it('clean with a dry-run count and a confirmation bound to it', async () => {
      const before = (await queue.getCounts()).completed;
      expect(before).toBeGreaterThan(0);
      const dry = await call(url, 'POST', api('/clean'), {
        as: 'operator',
        body: { state: 'completed', graceMs: 0, limit: 1000, reason: 'hygiene', dryRun: true },
      });
      expect(dry.body).toMatchObject({ dryRun: true, count: before, exact: true });
      const r = await call(url, 'POST', api('/clean'), {
        as: 'operator',
        body: {
          state: 'completed',
          graceMs: 0,
          limit: 1000,
          reason: 'hygiene',
          confirmCount: before - 1,
        },
      });
      // The confirmed count bounds the removal: one completed job stays.
      expect(r.body.count).toBe(before - 1);
      expect((await queue.getCounts()).completed).toBe(1);
    });

    it('drain refuses more than confirmed, then drains', async () => {
      await queue.addBulk([
        { name: 'x', data: {} },
        { name: 'y', data: {} },
      ]);
      const c = await queue.getCounts();
      const dry = await call(url, 'POST', api('/drain'), {
        as: 'operator',
        body: { reason: 'reset', dryRun: true },
      });
      expect(dry.body.count).toBe(c.waiting);
      const tooFew = await call(url, 'POST', api('/drain'), {
        as: 'operator',
        body: { reason: 'reset', confirmCount: c.waiting - 1 },
      });
      expect(tooFew.status).toBe(409);
      const ok = await call(url, 'POST', api('/drain'), {
        as: 'operator',
        body: { reason: 'reset', confirmCount: c.waiting },
      });
      expect(ok.body.count).toBe(c.waiting);
      expect((await queue.getCounts()).waiting).toBe(0);
    });

    it('schedules: list with next run, pause, reset drift, remove', async () => {
      await queue.upsertRepeatable('digest', { every: 60_000 }, { name: 'digest', data: {} });
      const l = await call(url, 'GET', api('/schedules'), { as: 'viewer' });
      expect(l.body.schedules[0]).toMatchObject({
        id: 'digest',
        task: 'digest',
        paused: false,
        lateTicks: 0,
      });
      expect(typeof l.body.schedules[0].nextRunAt).toBe('number');
      expect(
        (
          await call(url, 'POST', api('/schedules/digest/pause'), {
            as: 'operator',
            body: { reason: 'quiet' },
          })
        ).status,
      ).toBe(200);
      expect((await queue.listRepeatables())[0]?.paused).toBe(true);
      expect(
        (
          await call(url, 'POST', api('/schedules/digest/reset-drift'), {
            as: 'operator',
            body: { reason: 'new baseline' },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call(url, 'POST', api('/schedules/digest/remove'), {
            as: 'operator',
            body: { reason: 'gone' },
          })
        ).status,
      ).toBe(200);
      expect(await queue.listRepeatables()).toEqual([]);
      expect(
        (
          await call(url, 'POST', api('/schedules/digest/remove'), {
            as: 'operator',
            body: { reason: 'again' },
          })
        ).status,
      ).toBe(404);
    });

    it('obliterate needs the typed queue name and the admin role', async () => {
      const noName = await call(url, 'POST', api('/obliterate'), {
        as: 'admin',
        body: { reason: 'reset env', confirmCount: 100 },
      });
      expect(noName.status).toBe(409);
      expect(noName.body.error.message).toContain(`confirm: "${qn}"`);
      const dry = await call(url, 'POST', api('/obliterate'), {
        as: 'admin',
        body: { reason: 'reset env', dryRun: true },
      });
      const ok = await call(url, 'POST', api('/obliterate'), {
        as: 'admin',
        body: { reason: 'reset env', confirm: qn, confirmCount: dry.body.count },
      });
      expect(ok.status).toBe(200);
      expect(await queue.getCounts()).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
      const a = await call(url, 'GET', '/api/audit?limit=2', { as: 'viewer' });
      expect(a.body.records[0]).toMatchObject({
        action: 'queue.obliterate',
        outcome: 'ok',
        actor: 'ada',
        role: 'admin',
        reason: 'reset env',
      });
      expect(a.body.records[1]).toMatchObject({ action: 'queue.obliterate', outcome: 'refused' });
    });

    it('the audit queue itself is not open to actions', async () => {
      const r = await call(url, 'POST', `/api/backends/main/queues/${AUDIT_QUEUE}/drain`, {
        as: 'admin',
        body: { reason: 'hide tracks', dryRun: true },
      });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('MQ_ADMIN_RESERVED_QUEUE');
    });
  });
}

describe('operations over several backends at once', () => {
  it('the overview and the audit log span every backend by name', async () => {
    const { createMemoryBackend } = await import('@mq/memory');
    const eu = createMemoryBackend();
    const us = createMemoryBackend();
    const qe = new Queue('orders', { backend: eu });
    const qu = new Queue('orders', { backend: us });
    await qe.addBulk([
      { name: 'a', data: {} },
      { name: 'b', data: {} },
    ]);
    await qu.add('c', {});
    const s = await serveAdmin({ backends: { eu, us } });
    try {
      const b = await call(s.url, 'GET', '/api/backends', { as: 'viewer' });
      expect(b.body.backends.map((x: { name: string }) => x.name)).toEqual(['eu', 'us']);
      expect(b.body.backends[0].capabilities).toHaveProperty('distributedLocks');
      const o = await call(s.url, 'GET', '/api/queues', { as: 'viewer' });
      expect(
        o.body.queues.map((q: { backend: string; counts: { waiting: number } }) => [
          q.backend,
          q.counts.waiting,
        ]),
      ).toEqual([
        ['eu', 2],
        ['us', 1],
      ]);
      const one = await call(s.url, 'GET', '/api/queues?backend=us', { as: 'viewer' });
      expect(one.body.queues).toHaveLength(1);
      expect((await call(s.url, 'GET', '/api/queues?backend=mars', { as: 'viewer' })).status).toBe(
        404,
      );
      await call(s.url, 'POST', '/api/backends/us/queues/orders/pause', {
        as: 'operator',
        body: { reason: 'us only' },
      });
      expect(await qu.isPaused()).toBe(true);
      expect(await qe.isPaused()).toBe(false);
      // Each backend keeps its own audit log, in its own store.
      expect(
        (await call(s.url, 'GET', '/api/audit?backend=us', { as: 'viewer' })).body.records,
      ).toHaveLength(1);
      expect(
        (await call(s.url, 'GET', '/api/audit?backend=eu', { as: 'viewer' })).body.records,
      ).toHaveLength(0);
    } finally {
      await qe.close();
      await qu.close();
      await s.close();
      await eu.close();
      await us.close();
    }
  });
});
