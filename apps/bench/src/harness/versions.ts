import { readFileSync } from 'node:fs';

/**
 * The installed version of a package this app depends on, read from the app's own
 * node_modules (some packages' export maps hide their package.json from `require`).
 */
export function packageVersion(pkg: string): string {
  try {
    const file = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
