import { createMemoryBackend } from '@mq/memory';
import { Queue } from '@mq/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdmin, hashToken } from '../src/index.js';
import { call, serveAdmin, TOKENS } from './harness.js';

const backend = createMemoryBackend();
afterAll(() => backend.close());

describe('admin security defaults', () => {
  it('refuses to start without auth, and with short or malformed tokens', () => {
    expect(() => createAdmin({ backend } as never)).toThrow(/needs auth/);
    expect(() => createAdmin({ backend, auth: {} })).toThrow(/refuses to start without auth/);
    expect(() =>
      createAdmin({ backend, auth: { tokens: [{ token: 'short', role: 'admin' }] } }),
    ).toThrow(/16 characters/);
    expect(() =>
      createAdmin({ backend, auth: { tokens: [{ sha256: 'abc', role: 'admin' }] } }),
    ).toThrow(/sha256/);
    expect(() =>
      createAdmin({
        backend,
        auth: { tokens: [{ token: 'x'.repeat(20), role: 'root' as never }] },
      }),
    ).toThrow(/role/);
  });

  it('accepts a token given only by its SHA-256', async () => {
    const token = 'a-long-random-token-for-tests-0001';
    const s = await serveAdmin({
      backends: { m: backend },
      auth: { tokens: [{ sha256: hashToken(token), role: 'viewer' }] },
    });
    try {
      const r = await call(s.url, 'GET', '/api/whoami', { token });
      expect(r.body).toEqual({ id: `token:${hashToken(token).slice(0, 8)}`, role: 'viewer' });
      expect((await call(s.url, 'GET', '/api/whoami', { token: `${token}x` })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('anonymous access only when configured, with the role given', async () => {
    const s = await serveAdmin({ backends: { m: backend }, auth: { anonymous: 'viewer' } });
    try {
      expect((await call(s.url, 'GET', '/api/whoami')).body).toEqual({
        id: 'anonymous',
        role: 'viewer',
      });
      const r = await call(s.url, 'POST', '/api/backends/m/queues/q1/pause', {
        body: { reason: 'anon try' },
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      expect(r.status).toBe(403);
    } finally {
      await s.close();
    }
  });

  it('sets a strict CSP and no-store on API responses', async () => {
    const s = await serveAdmin({ backends: { m: backend } });
    try {
      const res = await fetch(`${s.url}/api/whoami`, {
        headers: { authorization: `Bearer ${TOKENS.viewer}` },
      });
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      // Refusals carry the headers too.
      const no = await fetch(`${s.url}/api/whoami`);
      expect(no.status).toBe(401);
      expect(no.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      await s.close();
    }
  });

  it('CSRF: host-auth mutations must be same-origin JSON; bearer calls must be JSON', async () => {
    const q = new Queue('csrf-q', { backend });
    await q.add('t', {});
    const s = await serveAdmin({
      backends: { m: backend },
      auth: {
        tokens: [{ token: TOKENS.operator, role: 'operator' }],
        // The host app's session: a cookie the browser sends on its own (the CSRF case).
        authenticate: (req) =>
          req.headers.get('cookie') === 'session=ok' ? { id: 'sam', role: 'operator' } : null,
      },
    });
    const path = '/api/backends/m/queues/csrf-q/pause';
    const body = { reason: 'csrf test' };
    try {
      const cookie = { cookie: 'session=ok' };
      expect((await call(s.url, 'GET', '/api/whoami', { headers: cookie })).body).toEqual({
        id: 'sam',
        role: 'operator',
      });
      const noOrigin = await call(s.url, 'POST', path, { body, headers: cookie });
      expect(noOrigin.status).toBe(403);
      expect(noOrigin.body.error.code).toBe('MQ_ADMIN_CROSS_SITE');
      const crossSite = await call(s.url, 'POST', path, {
        body,
        headers: { ...cookie, 'sec-fetch-site': 'cross-site' },
      });
      expect(crossSite.status).toBe(403);
      const evilOrigin = await call(s.url, 'POST', path, {
        body,
        headers: { ...cookie, origin: 'https://evil.example' },
      });
      expect(evilOrigin.status).toBe(403);
      const form = await call(s.url, 'POST', path, {
        body: 'reason=csrf',
        headers: {
          ...cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
      });
      expect(form.status).toBe(403);
      expect(await q.isPaused()).toBe(false);
      const same = await call(s.url, 'POST', path, { body, headers: { ...cookie, origin: s.url } });
      expect(same.status).toBe(200);
      expect(await q.isPaused()).toBe(true);
      const plainBearer = await call(s.url, 'POST', path, {
        token: TOKENS.operator,
        body: JSON.stringify(body),
        headers: { 'content-type': 'text/plain' },
      });
      expect(plainBearer.status).toBe(403);
    } finally {
      await q.close();
      await s.close();
    }
  });

  it('serves under a base path', async () => {
    const s = await serveAdmin({ backends: { m: backend }, basePath: '/ops/mq' });
    try {
      expect((await call(s.url, 'GET', '/ops/mq/api/whoami', { as: 'admin' })).body.role).toBe(
        'admin',
      );
      expect((await call(s.url, 'GET', '/api/whoami', { as: 'admin' })).status).toBe(404);
      const doc = await call(s.url, 'GET', '/ops/mq/api/openapi.json', { as: 'viewer' });
      expect(Object.keys(doc.body.paths)).toContain('/ops/mq/api/queues');
    } finally {
      await s.close();
    }
  });
});
