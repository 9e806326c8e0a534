import { afterAll, beforeAll, describe } from 'vitest';
import { REGISTRY } from './concerns/index.js';
import { CONCERNS, type ConformanceOptions, resolveOptions } from './options.js';
import { SuiteEnv } from './support/env.js';

/**
 * Registers the conformance suite with vitest: one `describe` per concern inside
 * `@mq/conformance: <name>`. Call it at the top level of a test file.
 *
 * The backend is created (and `ready()`) in `beforeAll`, so tests that need a capability
 * the backend does not declare are skipped at run time, with the capability named.
 * Every backend the suite created is closed in `afterAll`.
 *
 * @throws ConformanceOptionError for bad options (unknown `skip` names, bad timing).
 */
export function runConformance(options: ConformanceOptions): void {
  const opts = resolveOptions(options);
  const env = new SuiteEnv(opts);
  describe(`@mq/conformance: ${opts.name}`, { timeout: env.testTimeoutMs }, () => {
    beforeAll(() => env.start(), env.testTimeoutMs);
    afterAll(() => env.closeAll(), env.testTimeoutMs);
    for (const concern of CONCERNS) {
      describe.skipIf(opts.skip.has(concern))(concern, () => REGISTRY[concern](env));
    }
  });
}
