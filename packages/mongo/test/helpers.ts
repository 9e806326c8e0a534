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

/** Drops every collection of `prefix` in the test database (cleanup). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    const db = client.db('mq_test');
    const names = await db.listCollections({}, { nameOnly: true }).toArray();
    for (const c of names) if (c.name.startsWith(`${prefix}_`)) await db.dropCollection(c.name);
  } finally {
    await client.close();
  }
}
