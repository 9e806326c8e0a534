import { type NewJob, ValidationError, type ValidationIssue } from '@mq/core';

/** The rule a text field with U+0000 breaks: PostgreSQL `text` cannot hold it. */
export const NUL_RULE =
  'Expected a string without NUL (U+0000) characters: PostgreSQL text cannot store them';

const NUL = '\u0000';

/**
 * Throws a `ValidationError` naming every field of `fields` ([path, value]) that holds a
 * NUL: sent as is, PostgreSQL would refuse the whole statement with a raw
 * `DatabaseError` (22021), failing every job merged into it. Core refuses such strings
 * before they get here; this covers direct callers of the contract.
 */
export function assertStorableText(what: string, fields: [string, string | undefined][]): void {
  const issues: ValidationIssue[] = [];
  for (const [path, value] of fields) {
    if (value?.includes(NUL)) issues.push({ path, rule: NUL_RULE });
  }
  if (issues.length > 0) throw new ValidationError(what, issues);
}

/**
 * The text checks of an `add`, run per caller before its jobs are merged with others':
 * a bad job fails its own call, and nothing of it is written. Paths name the contract's
 * fields: `/jobs/<i>/name`, `/jobs/<i>/id`, `/jobs/<i>/dedup/id`. (Payloads are JSON
 * text, which escapes NUL.)
 */
export function assertStorableJobs(jobs: readonly NewJob[]): void {
  let bad = false;
  for (const j of jobs) {
    if (j.name.includes(NUL) || j.id?.includes(NUL) || j.dedup?.id.includes(NUL)) bad = true;
  }
  if (!bad) return;
  assertStorableText(
    'jobs',
    jobs.flatMap((j, i): [string, string | undefined][] => [
      [`/jobs/${i}/name`, j.name],
      [`/jobs/${i}/id`, j.id],
      [`/jobs/${i}/dedup/id`, j.dedup?.id],
    ]),
  );
}
