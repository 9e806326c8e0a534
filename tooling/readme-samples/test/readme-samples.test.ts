import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { asModule, extractSamples, FIXTURES, type Sample } from '../src/index.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const work = join(here, '../.samples');

/** Every Markdown file users read: the root README, each package's, docs/. */
const files = [
  'README.md',
  ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
].filter((f) => existsSync(join(root, f)));
const samples = files.flatMap((f) => extractSamples(root, f));

/** Where a sample is written: `<work>/<slug>/test/sample.ts`, its fixtures beside it. */
const pathOf = (s: Sample) => join(work, s.id.replace(/[^A-Za-z0-9]+/g, '-'), 'test', 'sample.ts');

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const s of samples) {
    const file = pathOf(s);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asModule(s.code));
    for (const [spec, text] of Object.entries(FIXTURES)) {
      if (!s.code.includes(`'${spec}'`)) continue;
      const fixture = join(dirname(file), spec.replace(/\.js$/, '.ts'));
      mkdirSync(dirname(fixture), { recursive: true });
      writeFileSync(fixture, text);
    }
  }
  // Strict, as a user's project would be (without the repository's extra index checks).
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        types: ['node'],
      },
      include: ['**/*.ts'],
    }),
  );
});

describe('README and docs samples', () => {
  it('finds the samples (a README that lost its fences would pass silently)', () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });

  it('every sample type-checks against the real packages', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')], {
      cwd: here,
    }).catch((e: { stdout: string }) => e);
    const out = (result.stdout ?? '').replaceAll(`${work}/`, '');
    expect(out, `type errors (sample dir names the Markdown file and block):\n${out}`).toBe('');
  }, 120_000);

  for (const s of samples) {
    const title = `${s.id} (line ${s.line}) runs on the memory backend`;
    if (s.typecheckOnly !== undefined) {
      it.skip(`${title} — type-checked only: ${s.typecheckOnly}`, () => {});
      continue;
    }
    it(title, async () => {
      // The sample runs as written; its workers may run forever, so it is given a
      // second after its last statement, then the process ends. An error fails it.
      writeFileSync(
        pathOf(s).replace(/sample\.ts$/, 'main.ts'),
        "await import('./sample.ts');\nsetTimeout(() => process.exit(0), 1000);\n",
      );
      const { stderr } = await run(
        process.execPath,
        ['--import', join(here, '../src/register.ts'), pathOf(s).replace(/sample\.ts$/, 'main.ts')],
        { cwd: here, timeout: 20_000, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
      );
      expect(stderr).toBe('');
    }, 30_000);
  }
});
