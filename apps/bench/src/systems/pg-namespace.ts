import pg from 'pg';

/** Runs `fn` on a fresh client that is always closed afterwards. */
export async function withPgClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Quotes an identifier for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Drops `schema` and everything in it, if it exists. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await withPgClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`));
}

/** Schema names for a run: lower case, digits and `_`, under PostgreSQL's 63 bytes. */
export function schemaName(system: string, runId: string): string {
  return `bench_${system}_${runId}`.replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

/** Server version and the settings that move queue figures most, or null when down. */
export async function pgServerInfo(url: string): Promise<string | null> {
  try {
    return await withPgClient(url, async (c) => {
      const settings = ['server_version', 'synchronous_commit', 'fsync', 'shared_buffers'];
      const rows = await c.query<{ name: string; setting: string }>(
        'SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name',
        [settings],
      );
      const s = Object.fromEntries(rows.rows.map((r) => [r.name, r.setting]));
      return `PostgreSQL ${s.server_version} (synchronous_commit=${s.synchronous_commit}, fsync=${s.fsync}, shared_buffers=${s.shared_buffers})`;
    });
  } catch {
    return null;
  }
}
