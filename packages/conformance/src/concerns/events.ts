import { type QueueEvent, QueueEvents } from '@mq/core';
import { expect, it } from 'vitest';
import type { SuiteEnv } from '../support/env.js';
import { useHarness } from '../support/harness.js';
import { sleep, waitFor } from '../support/wait-for.js';

/**
 * The event bus delivers per queue, in publish order; QueueEvents sees a job's events in
 * lifecycle order; across backend instances with `distributedEvents`.
 */
export function events(env: SuiteEnv): void {
  const h = useHarness(env, 'events');

  it('subscribe delivers the events of its queues in publish order, with distinct ids', async () => {
    const name = h.name();
    const other = h.name();
    const got: QueueEvent[] = [];
    const unsubscribe = await h.backend.events.subscribe([name], (e) => got.push(e));
    try {
      const at = Date.now();
      await h.backend.events.publish(other, [{ type: 'added', jobId: 'x', at }]);
      await h.backend.events.publish(name, [
        { type: 'added', jobId: '1', at },
        { type: 'active', jobId: '1', at, data: { workerId: 'w' } },
      ]);
      await h.backend.events.publish(name, [{ type: 'completed', jobId: '1', at }]);
      await waitFor(() => got.length >= 3, env.patienceMs, 'three events delivered');
      await sleep(env.wakeBound());
      expect(got.map((e) => [e.queue, e.type, e.jobId])).toEqual([
        [name, 'added', '1'],
        [name, 'active', '1'],
        [name, 'completed', '1'],
      ]);
      expect(got[1]!.data).toEqual({ workerId: 'w' });
      expect(got[0]!.at).toBe(at);
      expect(new Set(got.map((e) => e.id)).size).toBe(3);
    } finally {
      await unsubscribe();
    }
  });

  it('unsubscribe stops delivery', async () => {
    const name = h.name();
    const got: QueueEvent[] = [];
    const unsubscribe = await h.backend.events.subscribe([name], (e) => got.push(e));
    await h.backend.events.publish(name, [{ type: 'paused', at: Date.now() }]);
    await waitFor(() => got.length === 1, env.patienceMs, 'the first event delivered');
    await unsubscribe();
    await h.backend.events.publish(name, [{ type: 'resumed', at: Date.now() }]);
    await sleep(env.wakeBound());
    expect(got.map((e) => e.type)).toEqual(['paused']);
  });

  // The producer publishes `added` and the worker publishes the rest: events of one
  // publisher arrive in order, but a fast worker's `active` may overtake `added`.
  const fromWorker = (types: string[]) => types.filter((t) => t !== 'added');

  it('QueueEvents sees added, then active and completed of a job, in that order', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    h.worker(q.name, async () => ({ ok: true }));
    const { id } = await q.add('a', null);
    await waitFor(() => log.types(id).includes('completed'), env.patienceMs, 'completed event');
    expect(log.types(id)).toContain('added');
    expect(fromWorker(log.types(id))).toEqual(['active', 'completed']);
    expect(log.of(id).every((e) => e.queue === q.name)).toBe(true);
  });

  it('QueueEvents sees added, active, retrying, active, failed of a failing job', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    h.worker(q.name, async () => {
      throw new Error('nope');
    });
    const { id } = await q.add('a', null, { attempts: 2 });
    await waitFor(() => log.types(id).includes('failed'), env.patienceMs, 'failed event');
    expect(log.types(id)).toContain('added');
    expect(fromWorker(log.types(id))).toEqual(['active', 'retrying', 'active', 'failed']);
    // The last of the worker's: the producer's `added` may arrive after all of them.
    expect(log.of(id).findLast((e) => e.type === 'failed')!.data).toMatchObject({ error: 'nope' });
  });

  it('QueueEvents sees progress, deduplicated, paused and resumed', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    const gate = h.gate();
    h.worker(q.name, async (job) => {
      await job.updateProgress(42);
      await gate.promise;
    });
    const owner = await q.add('a', null, { deduplication: { id: 'k' } });
    await q.add('a', null, { deduplication: { id: 'k' } });
    await waitFor(() => log.types(owner.id).includes('progress'), env.patienceMs, 'progress');
    await q.pause();
    await q.resume();
    await waitFor(() => log.all.some((e) => e.type === 'resumed'), env.patienceMs, 'resumed event');
    const progress = log.of(owner.id).find((e) => e.type === 'progress')!;
    expect(progress.data).toMatchObject({ progress: 42 });
    expect(log.types(owner.id)).toContain('deduplicated');
    const queueLevel = log.all.filter((e) => e.jobId === undefined).map((e) => e.type);
    expect(queueLevel).toEqual(['paused', 'resumed']);
  });

  it('QueueEvents on another backend instance sees the events (distributedEvents)', async (ctx) => {
    // Needs capability `distributedEvents`: without it events reach subscribers of the same instance only.
    ctx.skip(!env.capabilities.distributedEvents, 'backend does not declare distributedEvents');
    const other = await env.createBackend();
    const q = h.queue();
    const log = await h.events(q.name, other);
    h.worker(q.name, async () => 'ok');
    const { id } = await q.add('a', null);
    await waitFor(() => log.types(id).includes('completed'), env.patienceMs, 'remote completed');
    expect(log.types(id)).toContain('added');
    expect(fromWorker(log.types(id))).toEqual(['active', 'completed']);
  });

  it('events of different queues do not mix', async () => {
    const a = h.queue();
    const b = h.queue();
    const logA = await h.events(a.name);
    await b.add('b', null);
    const { id } = await a.add('a', null);
    await waitFor(() => logA.types(id).includes('added'), env.patienceMs, 'added on queue a');
    await sleep(env.wakeBound());
    expect(logA.all.every((e) => e.queue === a.name)).toBe(true);
    expect(logA.all).toHaveLength(1);
  });

  it('QueueEvents starts on construction (like a Worker) and accepts a Queue', async () => {
    const q = h.queue();
    const got: QueueEvent[] = [];
    // No start() call and no backend option: the Queue names both queue and backend.
    const qe = new QueueEvents(q);
    try {
      qe.on('added', (e) => got.push(e));
      await sleep(env.wakeBound());
      const { id } = await q.add('j', null);
      await waitFor(() => got.length === 1, env.patienceMs, 'the added event');
      expect(got[0]).toMatchObject({ queue: q.name, type: 'added', jobId: id });
      expect(qe.queue).toBe(q.name);
    } finally {
      await qe.close();
    }
  });

  it('operator actions publish events with their actor and reason', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    const by = { actor: 'ops:ada', reason: 'incident 42' };
    const a = await q.add('a', null);
    const b = await q.add('b', null, { delay: 60_000 });
    const c = await q.add('c', null);
    expect(await q.removeJob(a.id, by)).toBe(true);
    expect(await q.removeJob(a.id, by)).toBe(false); // nothing removed: no event
    expect(await q.promoteJobs({ ids: [b.id] }, by)).toEqual([b.id]);
    await q.pause(by);
    await q.resume(by);
    await q.upsertRepeatable('s', { every: 60_000 }, { name: 'tick' }, by);
    await q.setRepeatablePaused('s', true, by);
    await q.removeRepeatable('s', by);
    expect(await q.drain({}, by)).toBe(2);
    const ops = () => log.all.filter((e) => e.type !== 'added');
    // Obliterate deletes the queue's event history: a store may drop events it has not
    // delivered yet, so the earlier ones are awaited first.
    await waitFor(() => ops().length >= 8, env.patienceMs, 'the events before obliterate');
    await q.obliterate({}, by);
    const expected = [
      ['removed', a.id, {}],
      ['promoted', undefined, { count: 1, ids: [b.id] }],
      ['paused', undefined, {}],
      ['resumed', undefined, {}],
      ['schedule', undefined, { scheduleId: 's', change: 'upserted' }],
      ['schedule', undefined, { scheduleId: 's', change: 'paused' }],
      ['schedule', undefined, { scheduleId: 's', change: 'removed' }],
      ['drained', undefined, { removed: 2 }],
      ['obliterated', undefined, {}],
    ];
    await waitFor(() => ops().length >= expected.length, env.patienceMs, 'the action events');
    await sleep(env.wakeBound());
    expect(ops().map((e) => [e.type, e.jobId, e.data])).toEqual(
      expected.map(([type, jobId, data]) => [type, jobId, { ...(data as object), ...by }]),
    );
    expect(c.id).toBeTruthy();
  });

  it('retry and clean publish one event each with the count and ids', async () => {
    const q = h.queue();
    const log = await h.events(q.name);
    h.worker(q.name, async () => {
      throw new Error('boom');
    });
    const jobs = await Promise.all([q.add('x', null), q.add('x', null)]);
    await waitFor(async () => (await q.getCounts()).failed === 2, env.patienceMs, 'two failed');
    const retried = await q.retryJobs({ state: 'failed', limit: 10 }, { actor: 'cli:ada' });
    expect(retried.sort()).toEqual(jobs.map((j) => j.id).sort());
    await waitFor(async () => (await q.getCounts()).failed === 2, env.patienceMs, 'failed again');
    const cleaned = await q.cleanJobs({ state: 'failed', grace: 0 });
    expect(cleaned).toHaveLength(2);
    await waitFor(
      () => log.all.some((e) => e.type === 'cleaned'),
      env.patienceMs,
      'the cleaned event',
    );
    const retry = log.all.find((e) => e.type === 'retried')!;
    expect(retry.data).toMatchObject({ count: 2, actor: 'cli:ada' });
    expect((retry.data!.ids as string[]).sort()).toEqual(retried.sort());
    const clean = log.all.find((e) => e.type === 'cleaned')!;
    expect(clean.data).toEqual({ state: 'failed', count: 2, ids: cleaned });
    expect(clean.jobId).toBeUndefined();
  });
}
