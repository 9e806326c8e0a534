import { describe, expect, it } from 'vitest';
import { plainArray, textArray } from '../src/sql/arrays.js';
import { sql, svc } from './helpers.js';

describe.skipIf(svc.skip !== undefined)('postgres array literals', () => {
  it('round-trips any text through the server, NULL included', async () => {
    const values = [
      '1',
      'a-b.c:d_e',
      '',
      'NULL',
      'null',
      ' padded ',
      'comma,brace{}',
      'quote"back\\slash',
      '{"json":[1,"two"]}',
      'ünïcødé ✓',
      'line\nbreak',
      null,
    ];
    const rows = await sql<{ v: string | null; i: string }>(
      'SELECT v, i FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
      [textArray(values)],
    );
    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it('writes numbers, booleans and NULL as plain elements', async () => {
    const [row] = await sql<{ n: (number | null)[]; b: (boolean | null)[] }>(
      'SELECT $1::int[] AS n, $2::boolean[] AS b',
      [plainArray([1, -2, null]), plainArray([true, false, null])],
    );
    expect(row).toEqual({ n: [1, -2, null], b: [true, false, null] });
  });
});
