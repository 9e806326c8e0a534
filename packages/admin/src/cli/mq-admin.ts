#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Backend, backendFromUrl, closeOnSignals, redactUrl } from '@mq/core';
import { createAdmin } from '../http/create-admin.js';
import { parseServeArgs, USAGE } from './serve-args.js';

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const tokens = [...args.tokens];
  if (tokens.length === 0 && args.anonymous === undefined) {
    // Secure by default: a fresh admin token, shown once, never stored.
    const token = randomBytes(24).toString('base64url');
    tokens.push({ token, role: 'admin', id: 'generated-admin' });
    console.log(`[mq-admin] no token configured; admin token for this run: ${token}`);
  }
  // The backend packages are the application's dependencies, found from the working directory.
  const backends: Record<string, Backend> = {};
  for (const b of args.backends) backends[b.name] = await backendFromUrl(b.url);
  await Promise.all(Object.values(backends).map((b) => b.ready()));
  const admin = createAdmin({
    backends,
    auth: { tokens, ...(args.anonymous !== undefined ? { anonymous: args.anonymous } : {}) },
    basePath: args.basePath,
  });
  const server = serve(
    { fetch: admin.fetch, hostname: args.host, port: args.port },
    (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      const list = args.backends.map((b) => `${b.name}=${redactUrl(b.url)}`).join(', ');
      console.log(
        `[mq-admin] listening on http://${host}:${info.port}${args.basePath}/ (backends: ${list})`,
      );
    },
  );
  closeOnSignals(
    [
      {
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            // Open SSE streams would hold the close forever.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      },
      admin,
      ...Object.values(backends),
    ],
    { onError: (err) => console.error(`[mq-admin] ${String(err)}`) },
  );
}

main().catch((err) => {
  console.error(`[mq-admin] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
