import { createHash } from 'node:crypto';

/** Quotes an identifier for SQL text: `"name"` with inner quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for SQL text (standard_conforming_strings safe). */
export function quoteLiteral(value: string): string {
  const body = value.replaceAll("'", "''");
  // An E'' literal keeps backslashes literal whatever standard_conforming_strings says.
  return body.includes('\\') ? `E'${body.replaceAll('\\', '\\\\')}'` : `'${body}'`;
}

/** Wraps a function body in a dollar quote whose tag does not occur in the body. */
export function dollarQuote(body: string): string {
  let tag = 'mq';
  for (let i = 0; body.includes(`$${tag}$`); i++) tag = `mq${i}`;
  return `$${tag}$${body}$${tag}$`;
}

/** Short stable hash, used to name prepared statements and notification channels. */
export function shortHash(text: string, length = 12): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

/** The qualified names of everything in one @mq schema, ready to splice into SQL. */
export interface SchemaNames {
  /** The raw schema name. */
  readonly schema: string;
  /** The quoted schema name. */
  readonly s: string;
  readonly jobs: string;
  readonly queues: string;
  readonly counts: string;
  readonly dedup: string;
  readonly logs: string;
  readonly schedules: string;
  readonly locks: string;
  readonly workers: string;
  readonly events: string;
  readonly eventHeads: string;
  readonly schemaVersion: string;
  /** `nextval(...)` of the job sequence. */
  readonly nextJobSeq: string;
  /** NOTIFY channel for job wake-ups (payload: queue name). */
  readonly jobsChannel: string;
  /** NOTIFY channel for queue events (payload: queue name). */
  readonly eventsChannel: string;
  /** Qualifies a function name. */
  fn(name: string): string;
}

/** Builds the {@link SchemaNames} of `schema`. */
export function schemaNames(schema: string): SchemaNames {
  const s = quoteIdent(schema);
  const t = (name: string) => `${s}.${quoteIdent(name)}`;
  // Channel names are identifiers (max 63 bytes): keep a readable prefix, always unique.
  const tag = shortHash(schema, 10);
  return {
    schema,
    s,
    jobs: t('jobs'),
    queues: t('queues'),
    counts: t('counts'),
    dedup: t('dedup'),
    logs: t('logs'),
    schedules: t('schedules'),
    locks: t('locks'),
    workers: t('workers'),
    events: t('events'),
    eventHeads: t('event_heads'),
    schemaVersion: t('schema_version'),
    nextJobSeq: `nextval(${quoteLiteral(`${s}.job_seq`)})`,
    jobsChannel: `mq_jobs_${tag}`,
    eventsChannel: `mq_events_${tag}`,
    fn: t,
  };
}

/** The database clock as ms epoch, fixed for the statement's transaction. */
export const NOW_MS = `(floor(extract(epoch from now()) * 1000)::bigint)`;
