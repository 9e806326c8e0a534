import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';

/**
 * The admin (or any `fetch` handler, e.g. a Hono app it is routed into) as a `node:http`
 * request listener, for `http.createServer`, Express, Koa
 * (`ctx.respond = false`) and Fastify (`reply.hijack()`): it reads the request body
 * itself, so mount it where no body parser ran before it.
 */
export function toNodeListener(admin: {
  fetch(request: Request): Response | Promise<Response>;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener((request) => admin.fetch(request));
  return (req, res) => {
    void listener(req, res);
  };
}
