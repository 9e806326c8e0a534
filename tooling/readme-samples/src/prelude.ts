/**
 * What a README sample may use without declaring it — the application's own functions
 * and the objects an earlier paragraph created — defined for real on the memory
 * backend, so the sample type-checks and runs as written. A name the sample declares or
 * imports itself is left to the sample.
 */
const FREE_NAMES: Record<string, string> = {
  send: 'const send = async (_data: unknown, _options?: { signal?: AbortSignal }): Promise<void> => {};',
  sendMail:
    'const sendMail = async (_to: string, _options?: { signal?: AbortSignal }): Promise<void> => {};',
  createBackend: 'const createBackend = () => preludeMemory();',
  backend: 'const backend = preludeMemory();',
  euBackend: 'const euBackend = preludeMemory();',
  usBackend: 'const usBackend = preludeMemory();',
  queue: "const queue = new PreludeQueue('emails', { backend });",
  Queue: "import { Queue } from '@mq/core';",
  pool: "const pool = new (await import('pg')).default.Pool();",
};

/** Environment a sample reads, set when the run has none (a token digest of 64 hex). */
const ENV_DEFAULTS: Record<string, string> = {
  MQ_ADMIN_TOKEN_SHA256: 'a'.repeat(64),
};

const PRELUDE_IMPORTS = [
  "import { Queue as PreludeQueue } from '@mq/core';",
  "import { createMemoryBackend as preludeMemory } from '@mq/memory';",
];

/** Relative modules a sample imports as its own code, with what stands in for them. */
export const FIXTURES: Record<string, string> = {
  '../src/index.js':
    "import { createMemoryBackend } from '@mq/memory';\nexport const createMyBackend = (_options: { url: string }) => createMemoryBackend();\n",
};

function declares(code: string, name: string): boolean {
  const word = `\\b${name}\\b`;
  return (
    new RegExp(`\\b(const|let|var|function|class)\\s+${name}\\b`).test(code) ||
    new RegExp(`import\\s*(type\\s*)?\\{[^}]*${word}[^}]*\\}\\s*from`).test(code) ||
    new RegExp(`import\\s+${name}\\s+from`).test(code)
  );
}

/** The sample as a module: the prelude it needs, then its code, unchanged. */
export function asModule(code: string): string {
  const used = Object.keys(FREE_NAMES).filter(
    (name) => new RegExp(`\\b${name}\\b`).test(code) && !declares(code, name),
  );
  // `queue` needs `backend`; the sample's own `backend` serves when it has one.
  if (used.includes('queue') && !used.includes('backend') && !declares(code, 'backend'))
    used.push('backend');
  const order = Object.keys(FREE_NAMES).filter((name) => used.includes(name));
  const env = Object.entries(ENV_DEFAULTS)
    .filter(([name]) => code.includes(`process.env.${name}`))
    .map(([name, value]) => `process.env.${name} ??= '${value}';`);
  return [
    ...PRELUDE_IMPORTS,
    ...env,
    ...order.map((name) => FREE_NAMES[name]),
    '',
    code,
    '',
    'export {};',
    '',
  ].join('\n');
}
