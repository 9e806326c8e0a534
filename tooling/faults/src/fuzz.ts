import { type Backend, MqError, Queue, ValidationError } from '@mq/core';
import fc from 'fast-check';

/** What the fuzzing of one backend found. */
export interface FuzzFigures {
  calls: number;
  accepted: number;
  /** Rejected with an `MqError` (a `ValidationError` naming the field, or another typed error). */
  typed: number;
  /** Rejected with anything that is not an `MqError`: each one is a bug. */
  untyped: number;
  /** `ValidationError`s that name no field. */
  unnamed: number;
  /** Rejected calls after which the store had more or fewer jobs or schedules. */
  wroteOnReject: number;
  /** The first few untyped or unnamed rejections, for the report. */
  samples: string[];
}

const circular = (): unknown => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};
const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = { v };
  return v;
};

/** Values no option should accept unchecked. */
const hostile = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    -1,
    -0,
    2 ** 53,
    1e308,
    '',
    '1',
    ' ',
    null,
    true,
    [],
    {},
  ),
  fc.bigInt(),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.constant(JSON.parse('{"__proto__": {"polluted": 1}}')),
  fc.constant({ constructor: { prototype: { polluted: 1 } } }),
  fc.constant('x'.repeat(100_000)),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.anything(),
);

/** Payloads: JSON-able or not (BigInt, functions, circular, deep, huge). */
const payload = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.bigInt(),
  fc.constant(() => 1),
  fc.constant(undefined),
  fc.constant(null).map(circular),
  fc.constant(null).map(() => deep(5000)),
  fc.constant('y'.repeat(2_000_000)),
);

const optKeys = [
  'delay',
  'priority',
  'attempts',
  'backoff',
  'jobId',
  'deduplication',
  'timeout',
  'removeOnComplete',
  'removeOnFail',
  'lifo',
  '__proto__',
  'constructor',
  'nonsense',
] as const;
const opts = fc.dictionary(fc.constantFrom(...optKeys), hostile, { maxKeys: 4 });
const name = fc.oneof(fc.string({ maxLength: 20 }), hostile);

const cron = fc.oneof(
  fc.constantFrom('* * * * *', '0 8 * * *', '61 * * * *', '* * * *', '*/0 * * * *', '', 'nope'),
  fc.string(),
);
const spec = fc.record(
  {
    cron,
    tz: fc.oneof(fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Olympus', ''), fc.string()),
    every: hostile,
    startDate: hostile,
    endDate: hostile,
    limit: hostile,
    immediately: hostile,
  },
  { requiredKeys: [] },
);

type Call = { what: string; run: (q: Queue) => Promise<unknown> };

const calls: fc.Arbitrary<Call> = fc.oneof(
  fc
    .tuple(name, payload, opts)
    .map(([n, d, o]) => ({ what: 'add', run: (q: Queue) => q.add(n as string, d, o as never) })),
  fc.array(fc.tuple(name, payload, opts), { maxLength: 5 }).map((jobs) => ({
    what: 'addBulk',
    run: (q: Queue) =>
      q.addBulk(jobs.map(([n, d, o]) => ({ name: n as string, data: d, opts: o as never }))),
  })),
  fc.tuple(fc.oneof(fc.string(), hostile), spec, name, payload).map(([id, s, n, d]) => ({
    what: 'upsertRepeatable',
    run: (q: Queue) => q.upsertRepeatable(id as string, s as never, { name: n as string, data: d }),
  })),
  fc.tuple(hostile, hostile).map(([state, page]) => ({
    what: 'getJobs',
    run: (q: Queue) => q.getJobs(state as never, page as never),
  })),
  fc.tuple(hostile, hostile, hostile).map(([state, grace, limit]) => ({
    what: 'cleanJobs',
    run: (q: Queue) => q.cleanJobs({ state, grace, limit } as never),
  })),
  hostile.map((sel) => ({ what: 'retryJobs', run: (q: Queue) => q.retryJobs(sel as never) })),
  hostile.map((sel) => ({ what: 'promoteJobs', run: (q: Queue) => q.promoteJobs(sel as never) })),
  hostile.map((l) => ({
    what: 'setGlobalRateLimit',
    run: (q: Queue) => q.setGlobalRateLimit(l as never),
  })),
  hostile.map((n) => ({
    what: 'setGlobalConcurrency',
    run: (q: Queue) => q.setGlobalConcurrency(n as never),
  })),
);

async function footprint(q: Queue): Promise<number> {
  const c = await q.getCounts();
  const schedules = await q.listRepeatables();
  return Object.values(c).reduce((a, b) => a + b, 0) * 1000 + schedules.length;
}

const describe = (v: unknown) => {
  try {
    return String(v).slice(0, 120);
  } catch {
    return typeof v;
  }
};

/**
 * Runs `runs` hostile calls (fast-check, seeded) against one backend: each must either
 * succeed or reject with a typed `MqError` naming the field, and a rejected call must
 * leave the job and schedule counts as they were.
 */
export async function fuzzBackend(backend: Backend, runs: number, seed = 13): Promise<FuzzFigures> {
  const q = new Queue(`fuzz-${Date.now()}`, { backend, events: false });
  const f: FuzzFigures = {
    calls: 0,
    accepted: 0,
    typed: 0,
    untyped: 0,
    unnamed: 0,
    wroteOnReject: 0,
    samples: [],
  };
  const sample = (s: string) => {
    if (f.samples.length < 5) f.samples.push(s);
  };
  const samples = fc.sample(calls, { numRuns: runs, seed });
  try {
    for (const call of samples) {
      f.calls++;
      const before = await footprint(q);
      try {
        await call.run(q);
        f.accepted++;
        continue;
      } catch (err) {
        if (!(err instanceof MqError)) {
          f.untyped++;
          sample(`${call.what}: ${describe(err)}`);
        } else {
          f.typed++;
          // Each issue names its field by JSON pointer ('' is the argument itself, which
          // the message names: "Invalid retry selector: /: must be an object").
          const named =
            !(err instanceof ValidationError) ||
            (err.issues.length > 0 && err.issues.every((i) => typeof i.path === 'string'));
          if (!named) {
            f.unnamed++;
            sample(`${call.what}: ${err.message.slice(0, 160)}`);
          }
        }
      }
      if ((await footprint(q)) !== before) {
        f.wroteOnReject++;
        sample(`${call.what}: rejected but the counts changed`);
      }
    }
  } finally {
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  return f;
}

/** True when the fuzz figures show a bug. */
export const fuzzFailed = (f: FuzzFigures) => f.untyped > 0 || f.unnamed > 0 || f.wroteOnReject > 0;
