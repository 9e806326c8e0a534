import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where the built dashboard is: `dist/ui` beside `dist/dashboard` (or from `src`). */
function uiDir(): string | undefined {
  for (const rel of ['../ui/', '../../dist/ui/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

/**
 * Serves the dashboard's static assets from the package itself (no CDN): the page at
 * `${base}/` (never cached, so a new version is picked up) and hashed assets at
 * `${base}/assets/*` (immutable). Files are read once into memory.
 */
export function mountDashboard(app: Hono, base: string): void {
  const dir = uiDir();
  if (!dir) {
    app.get(`${base}/`, (c) =>
      c.text(
        'The dashboard is not built: run `pnpm --filter @mq/admin build`. The API is at ./api/.',
        503,
      ),
    );
    return;
  }
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(`${dir}assets`)) {
    const ext = name.slice(name.lastIndexOf('.'));
    files.set(name, {
      body: readFileSync(`${dir}assets/${name}`),
      type: TYPES[ext] ?? 'application/octet-stream',
    });
  }
  const index = readFileSync(`${dir}index.html`);
  const page = () =>
    new Response(index, {
      headers: { 'content-type': TYPES['.html'] as string, 'cache-control': 'no-cache, private' },
    });
  app.get(`${base}/`, page);
  // Without the trailing slash the page's relative asset URLs would miss the base path.
  if (base !== '') app.get(base, (c) => c.redirect(`${base}/`, 308));
  app.get(`${base}/assets/:file`, (c) => {
    const f = files.get(c.req.param('file'));
    if (!f) return c.text('Not found', 404);
    return new Response(f.body, {
      headers: { 'content-type': f.type, 'cache-control': 'public, max-age=31536000, immutable' },
    });
  });
}
