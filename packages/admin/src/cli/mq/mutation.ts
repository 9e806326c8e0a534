import { type CliContext, printJson } from './context.js';

/** A dry run's preview, the shape of the operations' `DryRunSchema`. */
export interface Preview {
  dryRun: true;
  count: number;
  exact: boolean;
  sample: string[];
}

/** A mutation's result: at least `dryRun: false` and `count`. */
export interface Done {
  dryRun: false;
  count: number;
  ids?: string[];
  [k: string]: unknown;
}

/** Prints a preview: the JSON as the operation returns it, or one line. */
export function printPreview(ctx: CliContext, p: Preview, what: string): number {
  if (ctx.json) printJson(ctx, p);
  else
    ctx.out(
      `dry run: would ${what}: ${p.count}${p.exact ? '' : '+'} (nothing changed)${
        p.sample.length > 0 ? `\n  e.g. ${p.sample.join(', ')}` : ''
      }\n`,
    );
  return 0;
}

/** Prints a result: the JSON as the operation returns it, or one line. */
export function printDone(ctx: CliContext, r: Done, what: string): number {
  if (ctx.json) printJson(ctx, r);
  else ctx.out(`${what}: ${r.count}\n`);
  return 0;
}

/**
 * The two-step flow of the layer's confirmable actions (clean, drain, obliterate, retry
 * by filter): a `dryRun` call for the count, then (after `--yes` or the prompt) the real
 * call with that count as `confirmCount`, so the layer refuses if the queue moved on.
 */
export async function previewThenRun(
  ctx: CliContext,
  op: string,
  input: Record<string, unknown>,
  labels: { would: string; did: string; question: (n: number) => string; expect?: string },
): Promise<number> {
  const preview = await ctx.exec<Preview>(op, { ...input, dryRun: true });
  if (ctx.dryRun) return printPreview(ctx, preview, labels.would);
  if (preview.count > 0 || labels.expect !== undefined)
    await ctx.confirm(labels.question(preview.count), labels.expect);
  const r = await ctx.exec<Done>(op, {
    ...input,
    confirmCount: preview.count,
    reason: ctx.reason,
  });
  return printDone(ctx, r, labels.did);
}
