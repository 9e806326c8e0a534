import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Backend } from '@mq/core';
import { createMemoryBackend } from '@mq/memory';
import { createPostgresBackend } from '@mq/postgres';
import { createRedisBackend } from '@mq/redis';
import { resolveService } from '@mq/test-services';
import pg from 'pg';
import { type Admin, type AdminOptions, createAdmin } from '../src/index.js';

/** A backend the API tests run on, with how to clean up after it. */
export interface BackendUnderTest {
  name: string;
  skip?: string;
  create(): Promise<Backend>;
  cleanup(): Promise<void>;
}

const redisSvc = await resolveService('redis');
const pgSvc = await resolveService('postgres');

/** Memory, Redis (unique key prefix) and PostgreSQL (unique schema). */
export function backendsUnderTest(): BackendUnderTest[] {
  const prefix = `mqadm-${randomBytes(4).toString('hex')}`;
  const schema = `mqadm_${randomBytes(4).toString('hex')}`;
  const opened: Backend[] = [];
  const track = async (b: Backend): Promise<Backend> => {
    opened.push(b);
    await b.ready();
    return b;
  };
  const closeAll = () => Promise.all(opened.splice(0).map((b) => b.close()));
  return [
    {
      name: 'memory',
      create: () => track(createMemoryBackend()),
      cleanup: async () => void (await closeAll()),
    },
    {
      name: 'redis',
      ...(redisSvc.skip !== undefined ? { skip: redisSvc.skip } : {}),
      create: () => track(createRedisBackend({ url: redisSvc.url ?? '', prefix })),
      cleanup: async () => {
        await closeAll();
        const b = createRedisBackend({ url: redisSvc.url ?? '', prefix });
        await b.ready();
        let cursor = '0';
        do {
          const [next, keys] = await b.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await b.client.unlink(...keys);
        } while (cursor !== '0');
        await b.close();
      },
    },
    {
      name: 'postgres',
      ...(pgSvc.skip !== undefined ? { skip: pgSvc.skip } : {}),
      create: () =>
        track(createPostgresBackend({ connectionString: pgSvc.url ?? '', schema, migrate: true })),
      cleanup: async () => {
        await closeAll();
        const c = new pg.Client({ connectionString: pgSvc.url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      },
    },
  ];
}

/** Long random tokens per role. */
export const TOKENS = {
  viewer: `v-${randomBytes(16).toString('hex')}`,
  operator: `o-${randomBytes(16).toString('hex')}`,
  admin: `a-${randomBytes(16).toString('hex')}`,
};

/** An admin served over real HTTP (node:http via @hono/node-server) on a free port. */
export interface Served {
  admin: Admin;
  url: string;
  close(): Promise<void>;
}

/** Serves `createAdmin(options)` on 127.0.0.1. */
export async function serveAdmin(
  options: Partial<AdminOptions> & Pick<AdminOptions, 'backends'>,
): Promise<Served> {
  const admin = createAdmin({
    auth: {
      tokens: [
        { token: TOKENS.viewer, role: 'viewer', id: 'vera' },
        { token: TOKENS.operator, role: 'operator', id: 'otto' },
        { token: TOKENS.admin, role: 'admin', id: 'ada' },
      ],
    },
    snapshotMs: 200,
    discoverMs: 200,
    liveCountsMs: 200,
    ...options,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: admin.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    admin,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await admin.close();
      await new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      });
    },
  };
}

/** A JSON response. */
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON replies field by field
  body: any;
}

/** Calls the admin: `token` as a role name (or a raw token, or none). */
export async function call(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  opts: {
    as?: keyof typeof TOKENS | null;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token ?? (opts.as ? TOKENS[opts.as] : undefined);
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (method === 'POST' && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined
      ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
      : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: left as text
  }
  return { status: res.status, body };
}

/** Waits until `check` is true (polling every 25 ms), failing after `ms`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  ms = 10_000,
  what = 'condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
