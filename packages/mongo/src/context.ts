import type { Collection, Db } from 'mongodb';
import type { DedupDoc, JobDoc, MetaDoc } from './documents.js';
import type { ResolvedMongoOptions } from './options.js';
import type { WaiterSet } from '@mq/core/backend-kit';

/** A lock document in `<prefix>_locks`. */
export interface LockDoc {
  _id: string;
  owner: string;
  exp: number;
}

/** What every role object of one backend shares: the collections, options and clock. */
export class MongoContext {
  jobs!: Collection<JobDoc>;
  dedup!: Collection<DedupDoc>;
  meta!: Collection<MetaDoc>;
  locks!: Collection<LockDoc>;
  // biome-ignore lint/suspicious/noExplicitAny: schedule, worker and event documents are typed where used
  schedules!: Collection<any>;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  workers!: Collection<any>;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  events!: Collection<any>;
  /** Set at connect: the server is FerretDB (conditional updates are not atomic there). */
  ferret = false;

  constructor(
    readonly opts: ResolvedMongoOptions,
    readonly hub: WaiterSet,
    /** Resolves once the connection is open (every operation awaits it). */
    readonly ensure: () => Promise<void>,
    /** True once the backend is closed. */
    readonly closed: () => boolean,
  ) {}

  /** Binds the collections of `db`. */
  bind(db: Db): void {
    const p = this.opts.prefix;
    const wc = this.opts.writeConcern === undefined ? {} : { writeConcern: this.opts.writeConcern };
    this.jobs = db.collection<JobDoc>(`${p}_jobs`, wc);
    this.dedup = db.collection<DedupDoc>(`${p}_dedup`, wc);
    this.meta = db.collection<MetaDoc>(`${p}_meta`, wc);
    this.locks = db.collection<LockDoc>(`${p}_locks`, wc);
    this.schedules = db.collection(`${p}_schedules`, wc);
    this.workers = db.collection(`${p}_workers`, wc);
    this.events = db.collection(`${p}_events`, wc);
  }

  /** The backend's clock (ms epoch). All processes should run NTP-synchronised clocks. */
  now(): number {
    return Date.now();
  }
}

/** True for a duplicate-key error (E11000). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
