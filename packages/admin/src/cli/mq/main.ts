import { hostname, userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { backendFromUrl, MqError, redactUrl, ValidationError } from '@mq/core';
import { CliUsageError } from '../../errors.js';
import { createOperations } from '../../operations/operations.js';
import { ROLES, type Principal, type Role } from '../../operations/roles.js';
import { COMMANDS } from './commands/index.js';
import { type CliContext, progressBar, promptConfirm, type Values } from './context.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { commandHelp, mainHelp } from './help.js';

const GLOBAL_OPTIONS = {
  backend: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  reason: { type: 'string' },
  role: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The index of the command word in argv: the first token that is not a flag or a flag's value. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!a.startsWith('-')) return i;
    // Global flags that take a value, given as a separate token.
    if (['--backend', '--reason', '--role'].includes(a)) i++;
  }
  return -1;
}

/** Who the CLI acts as: `cli:<os user>@<host>`, role admin unless `--role` lowers it. */
export function cliPrincipal(role: Role = 'admin'): Principal {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return { id: `cli:${user}@${hostname()}`, role };
}

/** Output sinks, so tests can call {@link runMq} in-process too. */
export interface MqIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** Runs `mq` with `argv` (without node and script); resolves with the exit code. */
export async function runMq(argv: string[], io: MqIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const at = commandIndex(argv);
    const name = at >= 0 ? argv[at] : undefined;
    const command = COMMANDS.find((c) => c.name === name);
    if (name !== undefined && !command)
      throw new CliUsageError(`Unknown command "${name}". Run mq --help for the list.`);
    const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 1)] : argv;
    let values: Values;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) },
        allowPositionals: true,
        strict: true,
      }) as { values: Values; positionals: string[] });
    } catch (err) {
      throw new CliUsageError(
        `${(err as Error).message}. Run mq ${command?.name ?? ''} --help.`.replace('  ', ' '),
      );
    }
    json = values.json === true;
    if (!command || values.help) {
      io.out(command ? commandHelp(command) : mainHelp());
      return command || values.help ? EXIT.ok : EXIT.usage;
    }
    const role = (values.role as string | undefined) ?? 'admin';
    if (!ROLES.includes(role as Role))
      throw new CliUsageError(`--role must be one of ${ROLES.join(', ')}, got "${role}".`);
    if (!command.mutates && (values['dry-run'] || values.reason !== undefined))
      throw new CliUsageError(
        `mq ${command.name} changes nothing: --dry-run and --reason apply to mutations only.`,
      );
    const url = (values.backend as string | undefined) ?? io.env.MQ_URL;
    if (!url)
      throw new CliUsageError('--backend <url> is required (or set MQ_URL). Run mq --help.');
    return await withBackend(url, async (ops) => {
      const principal = cliPrincipal(role as Role);
      let interrupt = (): void => {};
      const interrupted = new Promise<void>((r) => {
        interrupt = r;
      });
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const ctx: CliContext = {
        ops,
        principal,
        json,
        yes: values.yes === true,
        dryRun: values['dry-run'] === true,
        reason: (values.reason as string | undefined) ?? `mq ${command.name} (no reason given)`,
        out: io.out,
        note: (t) => io.err(`${t}\n`),
        exec: async <T>(id: string, input: Record<string, unknown>) =>
          (await ops.execute(principal, id, input)) as T,
        progress: (label, done, total) => {
          if (process.stderr.isTTY && !json) progressBar(io.err, label, done, total);
        },
        confirm: (q, expect) => promptConfirm(values.yes === true, q, expect),
        interrupted,
      };
      try {
        return (await command.run(ctx, positionals, values)) ?? EXIT.ok;
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
  } catch (err) {
    const code = exitCodeOf(err);
    const e = err as Error;
    const error = {
      code: err instanceof MqError ? err.code : 'MQ_CLI_INTERNAL',
      message: e instanceof Error ? e.message : String(err),
      ...(err instanceof ValidationError ? { issues: err.issues } : {}),
    };
    if (json) io.err(`${JSON.stringify({ error })}\n`);
    else io.err(`mq: ${error.message}\n`);
    return code;
  }
}

/** Opens the backend, runs `fn` with an operations layer over it, closes both. */
async function withBackend(
  url: string,
  fn: (ops: ReturnType<typeof createOperations>) => Promise<number>,
): Promise<number> {
  let backend: Awaited<ReturnType<typeof backendFromUrl>>;
  try {
    backend = await backendFromUrl(url);
    await backend.ready();
  } catch (err) {
    if (err instanceof MqError && err.code === 'MQ_VALIDATION') throw err;
    throw new MqError(
      'MQ_CLI_BACKEND',
      `Cannot open the backend ${redactUrl(url)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const ops = createOperations({
    backend,
    discoverMs: 1000,
    onError: (err) => console.error(`[mq] ${String(err)}`),
  });
  try {
    return await fn(ops);
  } finally {
    await ops.close();
    await backend.close();
  }
}
