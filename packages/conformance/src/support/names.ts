import { randomBytes } from 'node:crypto';

/**
 * A queue (or lock, or schedule) name no other test uses: `conf-<concern>-<random>`, so
 * tests isolate themselves even when suites of several backends share one server.
 */
export function uniqueName(concern: string): string {
  return `conf-${concern}-${randomBytes(6).toString('hex')}`;
}
