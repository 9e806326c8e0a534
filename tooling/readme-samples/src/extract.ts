import { readFileSync } from 'node:fs';

/** One ```ts block of a Markdown file. */
export interface Sample {
  /** `README.md#2`: the file (relative to the repository) and the block's ordinal. */
  id: string;
  /** 1-based line of the opening fence, for error messages. */
  line: number;
  code: string;
  /**
   * Why the sample is only type-checked, from a `<!-- sample: typecheck-only — why -->`
   * comment on the line before its fence; undefined for a sample that is also run.
   */
  typecheckOnly: string | undefined;
}

const MARKER = /^<!--\s*sample:\s*typecheck-only\s*[—:-]?\s*(.*?)\s*-->\s*$/;

/** Every ```ts / ```typescript block of `file`, read from `root`. */
export function extractSamples(root: string, file: string): Sample[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const marker = MARKER.exec(lines[start - 1] ?? '') ?? MARKER.exec(lines[start - 2] ?? '');
    samples.push({
      id: `${file}#${samples.length + 1}`,
      line: start + 1,
      code: body.join('\n'),
      typecheckOnly: marker ? marker[1] || 'marked typecheck-only' : undefined,
    });
  }
  return samples;
}
