import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { ValidationError, type ValidationIssue } from './errors.js';
import { PATTERN_RULE } from './options/limits.js';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let c = compiled.get(schema);
  if (!c) {
    // Compiled once per schema: validation runs on every add, so it must be cheap.
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c as TypeCheck<T>;
}

type Branch = TSchema & {
  const?: unknown;
  type?: string;
  properties?: Record<string, TSchema & { const?: unknown }>;
  required?: string[];
};

/** Whether `value` has the JSON type a branch of a union accepts (ignoring its finer rules). */
function sameKind(branch: Branch, value: unknown): boolean {
  if ('const' in branch) return typeof branch.const === typeof value;
  switch (branch.type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number';
    default:
      return typeof value === branch.type;
  }
}

/** The literal-valued properties of an object branch: its discriminators (e.g. `type`). */
function discriminators(branch: Branch): [string, unknown][] {
  return Object.entries(branch.properties ?? {})
    .filter(([, s]) => 'const' in s)
    .map(([k, s]) => [k, s.const]);
}

/**
 * The branch of a union that `value` was meant for: of the branches of its JSON type, the
 * one whose discriminating literals it matches, else the one sharing most keys with it.
 * Null when none fits (then the union as a whole is reported).
 */
function pickBranch(branches: Branch[], value: unknown): Branch | null {
  let candidates = branches.filter((b) => sameKind(b, value) && !('const' in b));
  if (candidates.length <= 1 || typeof value !== 'object' || value === null)
    return candidates[0] ?? null;
  const v = value as Record<string, unknown>;
  candidates = candidates.filter((b) =>
    discriminators(b).every(([k, c]) => !(k in v) || v[k] === c),
  );
  const score = (b: Branch) => {
    const known = Object.keys(b.properties ?? {});
    const shared = Object.keys(v).filter((k) => known.includes(k)).length;
    return shared * 2 - Object.keys(v).length;
  };
  return candidates.sort((a, b) => score(b) - score(a))[0] ?? null;
}

function describeBranch(b: Branch): string {
  if ('const' in b) return JSON.stringify(b.const);
  if (b.type === 'integer' || b.type === 'array' || b.type === 'object') return `an ${b.type}`;
  return `a ${b.type ?? 'value'}`;
}

function oneOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * A union that fits no branch: when every object branch is told apart by the same
 * literal key (e.g. `backoff.type`) and the value names another one, that key is the
 * issue; otherwise the union's shapes are listed.
 */
function unionIssue(branches: Branch[], value: unknown, path: string): ValidationIssue {
  const objects = branches.filter((b) => b.type === 'object');
  if (typeof value === 'object' && value !== null && objects.length > 0) {
    const keys = objects.map((b) => discriminators(b).map(([k]) => k));
    const shared = keys[0]?.find((k) => keys.every((ks) => ks.includes(k)));
    if (shared !== undefined && shared in value) {
      const names = objects.map((b) => JSON.stringify(b.properties?.[shared]?.const));
      return { path: `${path}/${shared}`, rule: `must be ${oneOf(names)}` };
    }
  }
  return { path, rule: `must be ${oneOf([...new Set(branches.map(describeBranch))])}` };
}

function describe(e: ValueError, prefix: string): ValidationIssue[] {
  const path = `${prefix}${e.path}`;
  const schema = e.schema as Branch & { anyOf?: Branch[]; [PATTERN_RULE]?: string };
  if (e.type === ValueErrorType.Union && schema.anyOf) {
    // TypeBox says only "Expected union value": report the intended branch's own issues.
    const branch = pickBranch(schema.anyOf, e.value);
    const inner = branch ? validationIssues(branch, e.value, path) : [];
    return inner.length > 0 ? inner : [unionIssue(schema.anyOf, e.value, path)];
  }
  const rule = e.type === ValueErrorType.StringPattern ? schema[PATTERN_RULE] : undefined;
  return [{ path, rule: rule ?? e.message }];
}

/** Every rule `value` breaks against `schema` (empty when valid). */
export function validationIssues(schema: TSchema, value: unknown, prefix = ''): ValidationIssue[] {
  const c = checker(schema);
  if (c.Check(value)) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const e of c.Errors(value)) {
    for (const issue of describe(e, prefix)) {
      const key = `${issue.path}\u0000${issue.rule}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
  }
  return issues;
}

/**
 * Throws a `ValidationError` naming each offending path and rule unless `value`
 * matches `schema`.
 */
export function assertValid<T extends TSchema>(
  schema: T,
  value: unknown,
  what: string,
  prefix = '',
): asserts value is Static<T> {
  const c = checker(schema);
  if (c.Check(value)) return;
  throw new ValidationError(what, validationIssues(schema, value, prefix));
}
