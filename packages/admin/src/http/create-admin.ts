import { MqError } from '@mq/core';
import type { TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type Context, Hono } from 'hono';
import { mountDashboard } from '../dashboard/assets.js';
import { AdminConfigError } from '../errors.js';
import type { Operation } from '../operations/define.js';
import { Operations, type OperationsOptions } from '../operations/operations.js';
import type { Principal } from '../operations/roles.js';
import { type AuthOptions, Authenticator } from './auth.js';
import { assertSameOrigin } from './csrf.js';
import { SECURITY_HEADERS } from './headers.js';
import { openApiDocument } from './openapi.js';
import { collectMetrics, METRICS_CONTENT_TYPE } from '../metrics/collect.js';
import type { WorkerMetrics } from '../metrics/worker-metrics.js';
import { eventStream } from './sse.js';
import { errorResponse } from './status.js';

/** The package version, shown in the OpenAPI document. */
const VERSION = '0.1.0';

/** Largest JSON body a mutation accepts, in bytes. */
const MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link createAdmin}. */
export interface AdminOptions extends OperationsOptions {
  /** Who may call, required: there is no open default (see `AuthOptions.anonymous`). */
  auth: AuthOptions;
  /**
   * The path the admin is mounted under, e.g. `/admin` (no trailing slash). Default `''`.
   * Routes are `${basePath}/api/...`.
   */
  basePath?: string;
  /** Other origins whose pages may send mutations with cookie or host auth. Default none. */
  trustedOrigins?: readonly string[];
  /** How often the SSE plane sends the shared counts, ms. Default 2,000. */
  liveCountsMs?: number;
  /** Worker-side counters and histograms appended to `/api/metrics`. Default: none. */
  workerMetrics?: WorkerMetrics;
  /** Serve the dashboard at `${basePath}/`. Default true. */
  dashboard?: boolean;
}

/** A mounted admin: a Web-standard `fetch` handler plus its operations layer. */
export interface Admin {
  /** Serves a request (mount it in any server that speaks `Request`/`Response`). */
  fetch(request: Request): Promise<Response>;
  /** The Hono app behind `fetch`, to mount with `app.route()` in a Hono server. */
  readonly app: Hono;
  readonly operations: Operations;
  /** The OpenAPI document (also served at `${basePath}/api/openapi.json`). */
  openapi(): Record<string, unknown>;
  /** Stops the live plane; the backends stay open (they are the caller's). */
  close(): Promise<void>;
}

class BadRequestError extends MqError {
  constructor(message: string) {
    super('MQ_ADMIN_BAD_REQUEST', message);
    this.name = 'BadRequestError';
  }
}

function json(c: Context, status: number, body: unknown): Response {
  return c.body(JSON.stringify(body), status as 200, {
    'content-type': 'application/json; charset=utf-8',
  });
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new BadRequestError(
      `Request body over ${MAX_BODY_BYTES} bytes: send fewer ids per request.`,
    );
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError('Request body is not JSON: send a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequestError('Request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** Query parameters converted to the types the request schema declares. */
function queryInput(op: Operation, c: Context): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...c.req.query() };
  return Value.Convert(op.request as TObject, raw) as Record<string, unknown>;
}

/**
 * The admin HTTP API as a Web-standard `fetch` handler: every operation of the
 * operations layer as a JSON endpoint, the OpenAPI document, the SSE live plane.
 * Secure by default: `auth` is required, every request is authenticated, the role is
 * checked on the server, and mutations are CSRF-guarded.
 */
export function createAdmin(options: AdminOptions): Admin {
  if (!options || typeof options !== 'object' || !options.auth)
    throw new AdminConfigError(
      'createAdmin needs auth: { tokens: [{ token, role }] } or auth: { authenticate(request) }; anonymous access is off unless auth.anonymous names a role.',
    );
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  if (base !== '' && !/^\/[A-Za-z0-9._~\-/]*$/.test(base))
    throw new AdminConfigError(
      `basePath "${base}" must start with "/" and hold only URL path characters.`,
    );
  const authenticator = new Authenticator(options.auth);
  const operations = new Operations(options);
  const trusted = options.trustedOrigins ?? [];
  const onError = options.onError ?? ((err: unknown) => console.error('[mq-admin]', err));
  const api = `${base}/api`;
  const app = new Hono();
  const doc = (): Record<string, unknown> => openApiDocument(operations.list(), api, VERSION);

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    if (c.req.path.startsWith(api) && !c.res.headers.has('cache-control'))
      c.res.headers.set('cache-control', 'no-store');
  });
  app.onError((err, c) => {
    const { status, body } = errorResponse(err);
    if (status >= 500) console.error('[mq-admin]', err);
    return json(c, status, body);
  });
  app.notFound((c) =>
    json(c, 404, {
      error: { code: 'MQ_ADMIN_NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}.` },
    }),
  );

  const who = async (c: Context): Promise<{ principal: Principal; viaToken: boolean }> => {
    const p = await authenticator.principal(c.req.raw);
    // The live plane (throughput, SSE) starts with the first authenticated request, so an
    // admin nobody opens costs the backend nothing.
    operations.live.start().catch(onError);
    return p;
  };

  app.get(`${api}/openapi.json`, async (c) => {
    await who(c);
    return json(c, 200, doc());
  });

  // Prometheus scrapes with a bearer token (scrape config `authorization`), any role.
  app.get(`${api}/metrics`, async (c) => {
    const { principal } = await who(c);
    await operations.execute(principal, 'whoami', {});
    return new Response(
      await collectMetrics(
        operations,
        options.workerMetrics ? { workers: options.workerMetrics } : {},
      ),
      {
        status: 200,
        headers: { 'content-type': METRICS_CONTENT_TYPE },
      },
    );
  });

  app.get(`${api}/events`, async (c) => {
    const { principal } = await who(c);
    await operations.execute(principal, 'whoami', {});
    return eventStream(c, operations, options.liveCountsMs ?? 2000);
  });

  for (const op of operations.list()) {
    const route = `${api}${op.http.path.replace(/\{(\w+)\}/g, ':$1')}`;
    const handler = async (c: Context): Promise<Response> => {
      const { principal, viaToken } = await who(c);
      let input: Record<string, unknown>;
      if (op.http.method === 'POST') {
        assertSameOrigin(c.req.raw, viaToken, trusted);
        input = await readBody(c.req.raw);
      } else input = queryInput(op, c);
      Object.assign(input, c.req.param());
      const result = await operations.execute(principal, op.id, input);
      return json(c, 200, result);
    };
    if (op.http.method === 'GET') app.get(route, handler);
    else app.post(route, handler);
  }
  if (options.dashboard !== false) mountDashboard(app, base);

  return {
    fetch: (request) => Promise.resolve(app.fetch(request)),
    app,
    operations,
    openapi: doc,
    close: () => operations.close(),
  };
}
