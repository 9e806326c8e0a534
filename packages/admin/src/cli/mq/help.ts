import type { Command } from './context.js';
import { COMMANDS } from './commands/index.js';

const GLOBAL = `Global flags:
  --backend <url>    the backend (default: the MQ_URL variable), e.g.
                     redis://127.0.0.1:6379?prefix=mq or postgres://user@host/app?schema=mq
  --json             machine-readable output (the operations' result shapes; see README)
  --dry-run          (mutations) show what would change; change and audit nothing
  --yes, -y          confirm destructive actions without a prompt (required without a TTY)
  --reason <text>    (mutations) why, kept in the audit log (default: "mq <command> (no reason given)")
  --role <role>      act with a weaker role: viewer | operator | admin (default admin)
  --help, -h         help (also: mq <command> --help)

Exit codes: 0 ok, 1 error, 2 usage, 3 refused/not confirmed, 4 not found, 5 forbidden,
            10 doctor warn, 11 doctor fail.
`;

/** `mq --help`. */
export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: mq [--backend <url>] <command> [args] [flags]

Operate @mq queues from a terminal, through the same audited operations as the dashboard.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

${GLOBAL}
Examples:
  MQ_URL=redis://127.0.0.1:6379?prefix=mq mq queues
  mq --backend postgres://app@db/app?schema=mq doctor emails
  mq retry emails --state failed --limit 100 --dry-run
`;
}

/** `mq <command> --help`. */
export function commandHelp(c: Command): string {
  return `Usage: mq ${c.usage} [global flags]

${c.summary}
${c.flags && c.flags.length > 0 ? `\nFlags:\n${c.flags.map((f) => `  ${f}`).join('\n')}\n` : ''}
Examples:
${c.examples.map((e) => `  ${e}`).join('\n')}

${GLOBAL}`;
}
