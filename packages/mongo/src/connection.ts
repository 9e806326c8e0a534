import { type Db, MongoClient } from 'mongodb';
import { UnsupportedMongoServerError } from './errors.js';
import type { MongoBackendOptions } from './options.js';

/** What `connect` learnt about the server. */
export interface ServerInfo {
  /** The server identifies itself as FerretDB in `buildInfo`. */
  ferret: boolean;
  /** The version `buildInfo` reports. */
  version: string;
  /** `maxWireVersion` from `hello` (17 = MongoDB 6.0). */
  wireVersion: number;
  /** A replica set (change streams and transactions would be possible). */
  replicaSet: boolean;
}

/** The database handle and the client the backend owns (undefined when it is the caller's). */
export interface Connection {
  db: Db;
  owned: MongoClient | undefined;
  info: ServerInfo;
}

/** The database name in a connection string's path, if any. */
export function dbNameOf(url: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(url);
  const name = m?.[1] === undefined ? '' : decodeURIComponent(m[1]);
  return name === '' ? undefined : name;
}

/**
 * Opens (or adopts) the client, picks the database and reads `hello` and `buildInfo`:
 * FerretDB names itself there (`ferretdbVersion`), and a server below wire version 17
 * (MongoDB 6.0) is refused with {@link UnsupportedMongoServerError}.
 */
export async function connect(
  o: MongoBackendOptions,
  dbName: string | undefined,
): Promise<Connection> {
  let owned: MongoClient | undefined;
  let db: Db;
  if (o.db !== undefined) db = o.db;
  else {
    let client = o.client;
    if (client === undefined) {
      owned = new MongoClient(o.url as string, {
        serverSelectionTimeoutMS: 10_000,
        ...o.clientOptions,
      });
      client = owned;
    }
    try {
      await client.connect();
    } catch (err) {
      await owned?.close().catch(() => undefined);
      throw err;
    }
    db = client.db(dbName ?? (o.url === undefined ? undefined : dbNameOf(o.url)) ?? 'mq');
  }
  try {
    const admin = db.admin();
    const [hello, build] = await Promise.all([
      admin.command({ isMaster: 1 }),
      admin.command({ buildInfo: 1 }),
    ]);
    const info: ServerInfo = {
      ferret: build.ferretdbVersion !== undefined || build.ferretdb !== undefined,
      version: String(build.version ?? 'unknown'),
      wireVersion: Number(hello.maxWireVersion ?? 0),
      replicaSet: hello.setName !== undefined,
    };
    if (info.wireVersion < 17 && !info.ferret) {
      throw new UnsupportedMongoServerError(
        `the server reports version ${info.version}, wire version ${info.wireVersion}`,
      );
    }
    return { db, owned, info };
  } catch (err) {
    await owned?.close().catch(() => undefined);
    throw err;
  }
}
