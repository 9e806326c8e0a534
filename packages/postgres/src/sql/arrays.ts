// Array parameters are sent as PostgreSQL array literals built here: node-postgres would
// escape every element with two regex passes, which showed up as a quarter of the
// client's CPU per job. Ids, tokens and kinds need no quoting at all.
const PLAIN = /^[A-Za-z0-9_.:-]+$/;
const SPECIAL = /["\\]/g;

/** A `text[]` literal; `null` elements become SQL NULL. */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i]!;
    if (v === null) out += 'NULL';
    else if (PLAIN.test(v) && !(v.length === 4 && v.toUpperCase() === 'NULL')) out += v;
    else out += `"${v.replace(SPECIAL, '\\$&')}"`;
  }
  return `${out}}`;
}

/** A numeric (or boolean) array literal; `null` elements become SQL NULL. */
export function plainArray(values: readonly (number | boolean | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return `${out}}`;
}
