import { QUEUE_KEY_NAMES } from '../keys.js';
import { type Script, script } from '../script-runner.js';
import { CALLS, CLOCK, CONSTS, DUE, META, READ, STATES, WAKE } from './lua-base.js';
import { DELETE, FINISH, ORDER, PROMOTE } from './lua-jobs.js';
import { ADD_JOB, RESERVE } from './lua-transitions.js';

/**
 * The start of every queue script: the queue's keys (passed in {@link QUEUE_KEY_NAMES}
 * order) as locals, and the prefixes of per-job keys derived from them, so every key a
 * script touches shares the queue's `{hash tag}`.
 */
const HEADER = `
local ${QUEUE_KEY_NAMES.map((n) => `K_${n}`).join(', ')} = ${QUEUE_KEY_NAMES.map((_, i) => `KEYS[${i + 1}]`).join(', ')}
local B = string.sub(K_meta, 1, -5)
local JP, LP, DP, SP = B .. 'j:', B .. 'l:', B .. 'd:', B .. 's:'
`;

/** Library parts a queue script can ask for; each costs time on every call. */
export type LibPart =
  | 'consts'
  | 'calls'
  | 'clock'
  | 'meta'
  | 'wake'
  | 'due'
  | 'states'
  | 'read'
  | 'order'
  | 'delete'
  | 'finish'
  | 'promote'
  | 'add'
  | 'reserve';

/** Each part's source and the parts it calls (included before it), in load order. */
const PARTS: [LibPart, string, LibPart[]][] = [
  ['consts', CONSTS, []],
  ['calls', CALLS, []],
  ['clock', CLOCK, []],
  ['meta', META, []],
  ['wake', WAKE, ['meta']],
  ['due', DUE, []],
  ['states', STATES, []],
  ['read', READ, []],
  ['order', ORDER, ['consts']],
  ['delete', DELETE, ['calls', 'states']],
  ['finish', FINISH, ['consts', 'calls', 'clock', 'delete', 'states']],
  ['promote', PROMOTE, []],
  ['add', ADD_JOB, ['consts', 'calls', 'clock', 'order', 'delete', 'wake']],
  ['reserve', RESERVE, ['calls', 'clock', 'meta', 'wake', 'promote']],
];
const DEPS = new Map(PARTS.map(([name, , deps]) => [name, deps]));

/**
 * A queue script: the key header, the library parts it asks for (and their
 * dependencies), then `body`. An EVAL script re-creates its local functions and tables
 * on every call (about a microsecond each), so each script carries only what it uses.
 */
export function queueScript(name: string, body: string, ...parts: LibPart[]): Script {
  const want = new Set<LibPart>();
  const visit = (p: LibPart): void => {
    if (want.has(p)) return;
    want.add(p);
    for (const d of DEPS.get(p) ?? []) visit(d);
  };
  for (const p of parts) visit(p);
  const lib = PARTS.filter(([n]) => want.has(n)).map(([, lua]) => lua);
  return script(name, HEADER + lib.join('') + body);
}
