import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdminConfigError } from '../errors.js';
import type { TokenEntry } from '../http/auth.js';
import { ROLES, type Role } from '../operations/roles.js';

/** Usage of the `mq-admin` server command. */
export const USAGE = `Usage: mq-admin --backend <url> [options]

  --backend <[name=]url>   a backend by URL (default: the MQ_URL variable); repeat for
                           several, each optionally named (default names: default, b2, …),
                           e.g. redis://127.0.0.1:6379?prefix=mq or
                           postgres://user@host/app?schema=mq
  --host <addr>            address to listen on (default 127.0.0.1)
  --port <n>               port (default 7070; 0 picks a free one)
  --base-path </path>      serve under this path prefix (behind a reverse proxy)
  --tokens-file <path>     JSON array of { "sha256": "<hex>", "role": "viewer|operator|admin",
                           "id": "alice" } (or "token" in clear)
  --anonymous <role>       let requests without a token in with this role; refused unless
                           --host is a loopback address
  -h, --help               this text

Tokens may also come from MQ_ADMIN_TOKENS="role:token,role:sha256:<hex>,…". With no token
configured, mq-admin makes one admin token and prints it once.
`;

/** Parsed command line of `mq-admin`. */
export interface ServeArgs {
  backends: { name: string; url: string }[];
  host: string;
  port: number;
  basePath: string;
  tokens: TokenEntry[];
  anonymous?: Role;
}

function role(v: string, where: string): Role {
  if (!ROLES.includes(v as Role))
    throw new AdminConfigError(`${where}: role must be one of ${ROLES.join(', ')}, got "${v}".`);
  return v as Role;
}

/** Tokens from `MQ_ADMIN_TOKENS` (`role:token` or `role:sha256:<hex>`, comma-separated). */
function envTokens(text: string | undefined): TokenEntry[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((item, i) => {
      const [r, ...rest] = item.trim().split(':');
      const value = rest.join(':');
      const where = `MQ_ADMIN_TOKENS item ${i + 1}`;
      if (!r || value === '')
        throw new AdminConfigError(`${where} must be role:token or role:sha256:<hex>.`);
      return value.startsWith('sha256:')
        ? { role: role(r, where), sha256: value.slice(7) }
        : { role: role(r, where), token: value };
    });
}

/** Parses argv (without node and script); throws `AdminConfigError` naming the flag. */
export function parseServeArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ServeArgs | 'help' {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        backend: { type: 'string', multiple: true },
        host: { type: 'string' },
        port: { type: 'string' },
        'base-path': { type: 'string' },
        'tokens-file': { type: 'string' },
        anonymous: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new AdminConfigError(`${(err as Error).message}. Run mq-admin --help.`);
  }
  if (values.help) return 'help';
  const urls = (values.backend as string[] | undefined) ?? (env.MQ_URL ? [env.MQ_URL] : []);
  if (urls.length === 0)
    throw new AdminConfigError('--backend <url> is required (or set MQ_URL). Run mq-admin --help.');
  const backends = urls.map((u, i) => {
    const m = u.match(/^([A-Za-z0-9._-]{1,64})=(.+)$/);
    return m
      ? { name: m[1] as string, url: m[2] as string }
      : { name: i === 0 ? 'default' : `b${i + 1}`, url: u };
  });
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const portText = (values.port as string | undefined) ?? '7070';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AdminConfigError(`--port must be an integer 0 to 65535, got "${portText}".`);
  const tokens = envTokens(env.MQ_ADMIN_TOKENS);
  const file = values['tokens-file'] as string | undefined;
  if (file !== undefined) {
    let list: unknown;
    try {
      list = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new AdminConfigError(`--tokens-file ${file}: ${(err as Error).message}.`);
    }
    if (!Array.isArray(list))
      throw new AdminConfigError(`--tokens-file ${file} must hold a JSON array.`);
    tokens.push(...(list as TokenEntry[]));
  }
  const args: ServeArgs = {
    backends,
    host,
    port,
    basePath: (values['base-path'] as string | undefined) ?? '',
    tokens,
  };
  const anon = values.anonymous as string | undefined;
  if (anon !== undefined) {
    args.anonymous = role(anon, '--anonymous');
    if (!['127.0.0.1', '::1', 'localhost'].includes(host))
      throw new AdminConfigError(
        `--anonymous is refused on --host ${host}: anonymous access is for loopback only.`,
      );
  }
  return args;
}
