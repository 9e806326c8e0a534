#!/usr/bin/env node
/**
 * `mq-postgres`: schema management for @mq/postgres.
 *
 *   mq-postgres migrate [--url <postgres url>] [--schema <name>] [--target <version>]
 *   mq-postgres status  [--url <postgres url>] [--schema <name>]
 *
 * The URL defaults to $DATABASE_URL, the schema to `mq`. `migrate` is idempotent and
 * safe to run from many deploy jobs at once (an advisory lock serializes them).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrate, readSchemaVersion } from './migrate.js';
import { LATEST_VERSION } from './migrations/index.js';
import { resolveSchema } from './options.js';

const USAGE = `usage:
  mq-postgres migrate [--url <postgres url>] [--schema <name>] [--target <version>]
  mq-postgres status  [--url <postgres url>] [--schema <name>]

--url defaults to $DATABASE_URL; --schema defaults to "mq".`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      schema: { type: 'string' },
      target: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== 'migrate' && command !== 'status')) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const url = values.url ?? process.env.DATABASE_URL;
  if (!url) {
    console.error('mq-postgres: pass --url <postgres url> or set DATABASE_URL.');
    return 2;
  }
  const schema = resolveSchema(values.schema);
  if (command === 'migrate') {
    const target = values.target === undefined ? undefined : Number(values.target);
    if (target !== undefined && !Number.isInteger(target)) {
      console.error(`mq-postgres: --target must be an integer, got "${values.target}".`);
      return 2;
    }
    const res = await migrate({
      connectionString: url,
      schema,
      ...(target === undefined ? {} : { targetVersion: target }),
      log: (line) => console.log(line),
    });
    console.log(
      res.applied.length === 0
        ? `schema "${schema}" is up to date (version ${res.to}).`
        : `schema "${schema}" migrated from version ${res.from} to ${res.to}.`,
    );
    return 0;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const v = await readSchemaVersion((text) => client.query(text), schema);
    console.log(`schema "${schema}": version ${v}, this package needs ${LATEST_VERSION}.`);
    return v >= LATEST_VERSION ? 0 : 1;
  } finally {
    await client.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`mq-postgres: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
