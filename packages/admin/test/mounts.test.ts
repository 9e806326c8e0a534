import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { type Admin, createAdmin, toNodeListener } from '../src/index.js';
import { call, TOKENS } from './harness.js';

const backend = createMemoryBackend();
const queue = new Queue('mounted', { backend });
await queue.add('t', {});
afterAll(async () => {
  await queue.close();
  await backend.close();
});

function makeAdmin(basePath: string): Admin {
  return createAdmin({
    backend,
    basePath,
    auth: { tokens: [{ token: TOKENS.operator, role: 'operator' }] },
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The same checks through every host: auth, a view, a mutation, the dashboard page. */
async function contract(base: string, prefix: string): Promise<void> {
  expect((await call(base, 'GET', `${prefix}/api/whoami`)).status).toBe(401);
  const q = await call(base, 'GET', `${prefix}/api/queues`, { as: 'operator' });
  expect(q.status).toBe(200);
  expect(q.body.queues.map((s: { queue: string }) => s.queue)).toContain('mounted');
  const p = await call(base, 'POST', `${prefix}/api/backends/default/queues/mounted/pause`, {
    as: 'operator',
    body: { reason: 'mount test' },
  });
  expect(p.status).toBe(200);
  expect(await queue.isPaused()).toBe(true);
  await queue.resume();
  const page = await fetch(`${base}${prefix}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('./assets/');
}

describe('mounting the fetch handler', () => {
  it('node:http', async () => {
    const admin = makeAdmin('');
    const server = createServer(toNodeListener(admin));
    try {
      await contract(await listen(server), '');
    } finally {
      server.close();
      await admin.close();
    }
  });

  it('Express (app.use strips the mount path, so basePath stays empty)', async () => {
    const admin = makeAdmin('');
    const app = express();
    app.use('/admin', toNodeListener(admin));
    const server = createServer(app);
    try {
      await contract(await listen(server), '/admin');
    } finally {
      server.close();
      await admin.close();
    }
  });

  it('Koa', async () => {
    const admin = makeAdmin('/admin');
    const app = new Koa();
    const listener = toNodeListener(admin);
    app.use(async (ctx, next) => {
      if (ctx.path !== '/admin' && !ctx.path.startsWith('/admin/')) return next();
      ctx.respond = false;
      listener(ctx.req, ctx.res);
    });
    const server = createServer(app.callback());
    try {
      await contract(await listen(server), '/admin');
    } finally {
      server.close();
      await admin.close();
    }
  });

  it('Fastify', async () => {
    const admin = makeAdmin('/admin');
    const app = Fastify();
    const listener = toNodeListener(admin);
    await app.register(async (scope) => {
      // Leave the body unread: the admin parses (and size-limits) it itself.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
      scope.all('/admin', (req, reply) => {
        reply.hijack();
        listener(req.raw, reply.raw);
      });
      scope.all('/admin/*', (req, reply) => {
        reply.hijack();
        listener(req.raw, reply.raw);
      });
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await contract(base, '/admin');
    } finally {
      await app.close();
      await admin.close();
    }
  });

  it('Hono (app.route under a prefix)', async () => {
    const admin = makeAdmin('/admin');
    const app = new Hono();
    app.get('/', (c) => c.text('host app'));
    app.route('/', admin.app);
    const server = createServer(toNodeListener(app));
    try {
      const base = await listen(server);
      await contract(base, '/admin');
      expect(await (await fetch(`${base}/`)).text()).toBe('host app');
    } finally {
      server.close();
      await admin.close();
    }
  });
});
