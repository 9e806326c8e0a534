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
   * comment on the line before its fence; undefined for a sample that is also run. A
   * block after `<!-- sample: continues -->` is the block before it plus its own code.
   */
  typecheckOnly: string | undefined;
}

const MARKER = /^<!--\s*sample:\s*typecheck-only\s*[—:-]?\s*(.*?)\s*-->\s*$/;
/** `<!-- sample: continues -->`: the block runs after the one before it, as one program. */
const CONTINUES = /^<!--\s*sample:\s*continues\s*-->\s*$/;

/** Every ```ts / ```typescript block of `file`, read from `root`. */
export function extractSamples(root: string, file: string): Sample[] {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  const samples: Sample[] = [];
  // The last block that is not a continuation: what a `continues` block runs after.
  let base: Sample | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const before = [lines[start - 1] ?? '', lines[start - 2] ?? ''];
    const marker = MARKER.exec(before[0] ?? '') ?? MARKER.exec(before[1] ?? '');
    const previous = before.some((l) => CONTINUES.test(l)) ? base : undefined;
    const sample: Sample = {
      id: `${file}#${samples.length + 1}`,
      line: start + 1,
      // Imports are hoisted in a module, so the earlier block's may stay where they are.
      code: previous ? `${previous.code}\n${body.join('\n')}` : body.join('\n'),
      typecheckOnly: marker ? marker[1] || 'marked typecheck-only' : undefined,
    };
    samples.push(sample);
    if (previous === undefined) base = sample;
  }
  return samples;
}
