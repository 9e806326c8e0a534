import { randomBytes } from 'node:crypto';
import { resolveService } from '@mq/test-services';

/** mongo-java-server (atomic single-document writes), or the reason its suites skip. */
export const javaSvc = await resolveService('mongo-java');
/** FerretDB (durable; conditional updates are not atomic), or the reason its suites skip. */
export const ferretSvc = await resolveService('mongo');

/** A collection prefix no other test run uses. */
export function uniquePrefix(label = 't'): string {
  return `t_${label}_${randomBytes(4).toString('hex')}`;
}

/** Short polling for tests: a wake-up across backends within ~100 ms. */
export const TEST_POLL = { min: 20, max: 100 } as const;
