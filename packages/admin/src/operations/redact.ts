import type { TSchema } from '@sinclair/typebox';

/** What the admin masks in job data and results, in every view and export. */
export interface RedactionOptions {
  /**
   * Keys whose values are masked wherever they appear. Default: keys that look secret
   * (password, secret, token, api key, authorization, cookie, card number, ssn).
   * Pass `null` to mask nothing by key.
   */
  keys?: RegExp | null;
  /**
   * Per queue: dot paths to mask (`user.email`, `items.*.card`; `*` matches any key or
   * index). Default none.
   */
  paths?: Readonly<Record<string, readonly string[]>>;
  /**
   * Per queue, per task: the task's TypeBox schema; properties marked
   * `{ sensitive: true }` (a custom keyword) are masked. Default none.
   */
  schemas?: Readonly<Record<string, Readonly<Record<string, TSchema>>>>;
}

/** The value that replaces a masked one. */
export const MASK = '[redacted]';

const DEFAULT_KEYS =
  /pass(word|wd)?$|secret|token|api[-_]?key|authori[sz]ation|cookie|card.?number|^ssn$/i;

/** Paths of `sensitive: true` properties in an object schema (nested objects and arrays). */
function sensitivePaths(schema: TSchema, prefix: string[] = [], out: string[][] = []): string[][] {
  const s = schema as TSchema & {
    properties?: Record<string, TSchema>;
    items?: TSchema;
    sensitive?: boolean;
  };
  if (s.sensitive === true && prefix.length > 0) out.push(prefix);
  for (const [k, v] of Object.entries(s.properties ?? {})) sensitivePaths(v, [...prefix, k], out);
  if (s.items) sensitivePaths(s.items, [...prefix, '*'], out);
  return out;
}

function maskPath(value: unknown, path: readonly string[]): void {
  if (path.length === 0 || typeof value !== 'object' || value === null) return;
  const [head, ...rest] = path as [string, ...string[]];
  const obj = value as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(obj) : [head];
  for (const k of keys) {
    if (!(k in obj)) continue;
    if (rest.length === 0) obj[k] = MASK;
    else maskPath(obj[k], rest);
  }
}

function maskKeys(value: unknown, keys: RegExp): unknown {
  if (Array.isArray(value)) return value.map((v) => maskKeys(v, keys));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = keys.test(k) ? MASK : maskKeys(v, keys);
  return out;
}

/** Applies {@link RedactionOptions} to job payloads and results. */
export class Redactor {
  private readonly keys: RegExp | null;
  private readonly cache = new Map<string, string[][]>();

  constructor(private readonly options: RedactionOptions = {}) {
    this.keys = options.keys === undefined ? DEFAULT_KEYS : options.keys;
  }

  private pathsFor(queue: string, task: string): string[][] {
    const key = `${queue}\u0000${task}`;
    let paths = this.cache.get(key);
    if (!paths) {
      paths = (this.options.paths?.[queue] ?? []).map((p) => p.split('.'));
      const schema = this.options.schemas?.[queue]?.[task];
      if (schema) paths.push(...sensitivePaths(schema));
      this.cache.set(key, paths);
    }
    return paths;
  }

  /**
   * The JSON text `text` parsed and masked for job `task` of `queue`. Text that is not
   * JSON (never written by core) is returned masked whole when any rule exists.
   */
  json(queue: string, task: string, text: string | undefined): unknown {
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.keys || this.pathsFor(queue, task).length > 0 ? MASK : text;
    }
    if (this.keys) value = maskKeys(value, this.keys);
    for (const p of this.pathsFor(queue, task)) maskPath(value, p);
    return value;
  }
}
