// Packs every publishable package (packages/*) into one folder, once, for the package
// checks and the install test. Returns the tarball path per package name.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

export function packAll(dest) {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const tarballs = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    const out = execFileSync('pnpm', ['pack', '--pack-destination', dest], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    const file = out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop();
    tarballs[pkg.name] = resolve(pkgDir, file);
  }
  return tarballs;
}
