// The package gate: every publishable package, as packed for the registry, passes
// publint (strict) and Are-the-Types-Wrong (ESM-only profile).
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, root } from './pack.mjs';

const tarballs = packAll(join(tmpdir(), 'mq-pack-check'));
let failed = 0;
for (const [name, tgz] of Object.entries(tarballs)) {
  for (const [tool, args] of [
    ['publint', ['run', tgz, '--strict']],
    ['attw', [tgz, '--profile', 'esm-only', '--format', 'ascii']],
  ]) {
    try {
      execFileSync('pnpm', ['exec', tool, ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failed++;
      console.error(`✗ ${name}: ${tool} failed\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }
  console.log(`${failed ? '·' : '✓'} ${name} packed and checked`);
}
if (failed) {
  console.error(`package checks: ${failed} failure(s)`);
  process.exit(1);
}
console.log(`package checks: ${Object.keys(tarballs).length} packages pass publint and attw`);
