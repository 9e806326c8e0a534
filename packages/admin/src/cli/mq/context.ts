import { createInterface } from 'node:readline/promises';
import type { ParseArgsOptionDescriptor } from 'node:util';
import { CliRefusedError } from '../../errors.js';
import type { Operations } from '../../operations/operations.js';
import type { Principal } from '../../operations/roles.js';

/** Parsed flag values of one command (globals included). */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** What every command runs with. */
export interface CliContext {
  /** The operations layer: the only way a command reads or changes anything. */
  ops: Operations;
  principal: Principal;
  json: boolean;
  yes: boolean;
  dryRun: boolean;
  /** `--reason`, or a default naming the command (the audit record always has one). */
  reason: string;
  /** Writes to stdout (the command's output: a table or JSON). */
  out(text: string): void;
  /** Writes a line to stderr (notes, prompts, progress), never part of `--json` output. */
  note(text: string): void;
  /** Runs operation `id` as the CLI principal. */
  exec<T = unknown>(id: string, input: Record<string, unknown>): Promise<T>;
  /**
   * Asks before a destructive action: returns at once with `--yes`; refuses (throws
   * `CliRefusedError`) without a terminal; otherwise prompts on stderr and refuses unless
   * the answer is `y`/`yes` (or, with `expect`, exactly that text).
   */
  confirm(question: string, expect?: string): Promise<void>;
  /** A progress bar on stderr for bulk actions, drawn only when stderr is a terminal. */
  progress(label: string, done: number, total: number): void;
  /** Settles when Ctrl-C (SIGINT) or SIGTERM arrives, for the live commands. */
  interrupted: Promise<void>;
}

/** One `mq` command. */
export interface Command {
  name: string;
  /** One line for `mq --help`. */
  summary: string;
  /** The synopsis after `mq `, e.g. `jobs <queue> [--state s]`. */
  usage: string;
  /** Lines describing the command's own flags. */
  flags?: string[];
  examples: string[];
  /** Whether it changes anything (then `--dry-run`, `--reason` apply). */
  mutates: boolean;
  options: Record<string, ParseArgsOptionDescriptor>;
  /** Runs; resolves with the exit code (default 0). */
  run(ctx: CliContext, positionals: string[], values: Values): Promise<number | undefined>;
}

/** Writes a result as one JSON document; returns exit code 0. */
export function printJson(ctx: CliContext, value: unknown): number {
  ctx.out(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

/** The prompt used by {@link CliContext.confirm}. */
export async function promptConfirm(
  yes: boolean,
  question: string,
  expect: string | undefined,
): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY)
    throw new CliRefusedError(
      'Refusing a destructive action without a terminal to confirm on: nothing changed. Preview it with --dry-run, then pass --yes to confirm.',
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const hint = expect === undefined ? '[y/N]' : `(type "${expect}" to confirm)`;
    const answer = (await rl.question(`${question} ${hint} `)).trim();
    const ok = expect === undefined ? /^(y|yes)$/i.test(answer) : answer === expect;
    if (!ok) throw new CliRefusedError('Not confirmed: nothing changed.');
  } finally {
    rl.close();
  }
}

/** Draws `label [#####-----] done/total` on a terminal's current line. */
export function progressBar(
  write: (t: string) => void,
  label: string,
  done: number,
  total: number,
): void {
  const width = 30;
  const full = total > 0 ? Math.round((done / total) * width) : width;
  write(
    `\r${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${done}/${total}${done >= total ? '\n' : ''}`,
  );
}
