import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValidationError, type ValidationIssue } from './errors.js';

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

/** Every rule `value` breaks against `schema` (empty when valid). */
export function validationIssues(schema: TSchema, value: unknown, prefix = ''): ValidationIssue[] {
  const c = checker(schema);
  if (c.Check(value)) return [];
  return [...c.Errors(value)].map((e) => ({ path: `${prefix}${e.path}`, rule: e.message }));
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
