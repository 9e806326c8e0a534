import type { Db, MongoClient, MongoClientOptions, WriteConcernSettings } from 'mongodb';
import { InvalidMongoOptionsError } from './errors.js';

/** Options of {@link createMongoBackend}. Exactly one of `url`, `client` and `db` is given. */
export interface MongoBackendOptions {
  /** A `mongodb://` or `mongodb+srv://` connection string; the backend owns that client. */
  url?: string;
  /** Options for the client created from `url`. */
  clientOptions?: MongoClientOptions;
  /** Your client: used as is and never closed by the backend. */
  client?: MongoClient;
  /** Your database handle: used as is; its client is never closed by the backend. */
  db?: Db;
  /**
   * Database name. Default: the database in `url`'s path, else `mq`. Ignored with `db`.
   */
  dbName?: string;
  /**
   * Collection name prefix: collections are `<prefix>_jobs`, `<prefix>_meta`, … Letters,
   * digits, `_` and `-`, 1–40 characters. Default `mq`.
   */
  prefix?: string;
  /**
   * Write concern of every write. Default: the client's (MongoDB's own default is
   * `w: 'majority'` on a replica set). See the README for what each setting risks.
   */
  writeConcern?: WriteConcernSettings;
  /**
   * Idle polling bounds in ms for `waitForWork` and event subscriptions (there are no
   * push wake-ups without change streams): a poller starts at `min` after activity and
   * doubles its interval up to `max` while nothing happens. Default `{ min: 50, max: 1000 }`.
   */
  pollMs?: { min?: number; max?: number };
  /** Events kept for `subscribe(…, fromId)` replays, in ms of age. Default 3,600,000 (1 h). */
  eventRetentionMs?: number;
  /** Create the indexes on `ready()`. Default true (createIndexes is idempotent). */
  createIndexes?: boolean;
}

/** Options with defaults filled in. */
export interface ResolvedMongoOptions {
  prefix: string;
  dbName: string | undefined;
  writeConcern: WriteConcernSettings | undefined;
  pollMin: number;
  pollMax: number;
  eventRetentionMs: number;
  createIndexes: boolean;
}

const PREFIX = /^[A-Za-z0-9_-]{1,40}$/;

function positive(field: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new InvalidMongoOptionsError(field, `expected a positive integer, got ${String(v)}`);
  }
  return v;
}

/** Validates `o` (throws {@link InvalidMongoOptionsError} naming the field) and fills defaults. */
export function resolveOptions(o: MongoBackendOptions): ResolvedMongoOptions {
  const given = [o.url, o.client, o.db].filter((x) => x !== undefined).length;
  if (given !== 1) {
    throw new InvalidMongoOptionsError(
      'url',
      `pass exactly one of url, client and db (got ${given === 0 ? 'none' : given})`,
    );
  }
  if (o.url !== undefined && !/^mongodb(\+srv)?:\/\//.test(o.url)) {
    throw new InvalidMongoOptionsError('url', 'expected a mongodb:// or mongodb+srv:// URL');
  }
  const prefix = o.prefix ?? 'mq';
  if (!PREFIX.test(prefix)) {
    throw new InvalidMongoOptionsError(
      'prefix',
      `expected 1-40 letters, digits, "_" or "-", got ${JSON.stringify(prefix)}`,
    );
  }
  if (o.dbName !== undefined && !/^[^/\\. "$]{1,63}$/.test(o.dbName)) {
    throw new InvalidMongoOptionsError('dbName', 'expected a MongoDB database name (no /\\. "$)');
  }
  const pollMin = positive('pollMs.min', o.pollMs?.min, 50);
  const pollMax = positive('pollMs.max', o.pollMs?.max, Math.max(1000, pollMin));
  if (pollMax < pollMin) {
    throw new InvalidMongoOptionsError('pollMs.max', `must be >= pollMs.min (${pollMin})`);
  }
  return {
    prefix,
    dbName: o.dbName,
    writeConcern: o.writeConcern,
    pollMin,
    pollMax,
    eventRetentionMs: positive('eventRetentionMs', o.eventRetentionMs, 3_600_000),
    createIndexes: o.createIndexes ?? true,
  };
}
