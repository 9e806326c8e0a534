import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BACKEND_SCHEMES,
  BackendNotInstalledError,
  backendFromUrl,
  backendPackageFor,
  InvalidBackendUrlError,
  MqError,
  redactUrl,
} from '../src/index.js';

describe('backendFromUrl', () => {
  it('names the package to install when the backend is missing', async () => {
    // Plain node (not the test runner's resolver) on the built core, from an empty
    // directory: @mq/core depends on no backend, so none is installed as it sees it.
    const core = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const program = [
      `const { backendFromUrl } = await import(${JSON.stringify(core)});`,
      `const e = await backendFromUrl('amqp://u:secret@127.0.0.1:5672').catch((err) => err);`,
      'console.log(JSON.stringify({ name: e.name, code: e.code, pkg: e.packageName, message: e.message }));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', program],
      // pnpm's NODE_PATH would expose its hidden hoisted store.
      { cwd: tmpdir(), env: { ...process.env, NODE_PATH: '' } },
    );
    const error = JSON.parse(stdout);
    expect(error).toMatchObject({
      name: 'BackendNotInstalledError',
      code: 'MQ_BACKEND_NOT_INSTALLED',
      pkg: '@mq/rabbit',
    });
    expect(error.message).toMatch(/install @mq\/rabbit/);
    expect(error.message).not.toMatch(/secret/);
    expect(new BackendNotInstalledError('@mq/x', 'x:')).toBeInstanceOf(MqError);
  });

  it('refuses text with no scheme or an unknown one, without leaking a password', async () => {
    for (const bad of ['127.0.0.1:6379', '', 'mysql://root:hunter2@db/app']) {
      const error = await backendFromUrl(bad).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidBackendUrlError);
      expect(error.code).toBe('MQ_INVALID_BACKEND_URL');
      expect(error.message).not.toMatch(/hunter2/);
    }
    await expect(backendFromUrl('mysql://h/db')).rejects.toThrow(/unknown scheme mysql:/);
  });

  it('maps every scheme to one package, case-insensitively', () => {
    expect(backendPackageFor('REDIS://h')).toBe('@mq/redis');
    expect(backendPackageFor('rediss://h')).toBe('@mq/redis');
    expect(backendPackageFor('postgresql://h/db')).toBe('@mq/postgres');
    expect(backendPackageFor('mongodb+srv://c.example/db')).toBe('@mq/mongo');
    expect(backendPackageFor('amqps://h')).toBe('@mq/rabbit');
    expect(backendPackageFor('memory:')).toBe('@mq/memory');
    expect(new Set(Object.values(BACKEND_SCHEMES)).size).toBe(5);
  });

  it('refuses a package that has no fromUrl export', async () => {
    const error = await backendFromUrl('memory:', undefined, async () => ({})).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidBackendUrlError);
    expect(error.message).toMatch(/exports no fromUrl/);
  });

  it('passes the URL and options to the package factory', async () => {
    const seen: unknown[] = [];
    const backend = { close: async () => {} };
    const got = await backendFromUrl(' memory:?x=1 ', { a: 1 }, async (pkg) => ({
      fromUrl: (url: string, options: unknown) => {
        seen.push(pkg, url, options);
        return backend;
      },
    }));
    expect(got).toBe(backend);
    expect(seen).toEqual(['@mq/memory', 'memory:?x=1', { a: 1 }]);
  });
});

describe('redactUrl', () => {
  it('hides passwords, secret parameters and nested store URLs’ passwords', () => {
    expect(redactUrl('redis://:pw@h:6379/0')).toBe('redis://:***@h:6379/0');
    expect(redactUrl('postgres://u:pw@h/db?schema=mq')).toBe('postgres://u:***@h/db?schema=mq');
    expect(redactUrl('mongodb://h/db?authToken=abc')).toBe('mongodb://h/db?authToken=***');
    expect(decodeURIComponent(redactUrl('amqp://u:p@h?store=redis%3A%2F%2F%3Apw%40r%3A6379'))).toBe(
      'amqp://u:***@h?store=redis://:***@r:6379',
    );
    expect(redactUrl('not a url:pw')).toBe('not a url:***');
  });
});
