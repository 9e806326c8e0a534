import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { WriteCoalescer } from './write-coalescer.js';

/** A Lua script shipped as a string, with its SHA1 computed once. */
export interface Script {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

/** Wraps Lua source as a {@link Script}. */
export function script(name: string, lua: string): Script {
  return { name, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/** One script argument. */
export type Arg = string | number;

/**
 * Runs scripts with EVALSHA and falls back to EVAL on NOSCRIPT (a restarted or flushed
 * server forgot the script; EVAL also caches it again). Arguments go as one flat array,
 * so batches of thousands of jobs never hit the JS spread-argument limit.
 */
export class ScriptRunner {
  constructor(
    private readonly conn: Redis,
    private readonly writes?: WriteCoalescer,
  ) {}

  /** Runs `s`; the command joins the others of this event-loop turn in one socket write. */
  async run(s: Script, keys: readonly string[], args: readonly Arg[]): Promise<unknown> {
    const argv: Arg[] = [s.sha, keys.length];
    for (const k of keys) argv.push(k);
    for (const a of args) argv.push(a);
    this.writes?.hold();
    try {
      return await this.conn.call('EVALSHA', argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      argv[0] = s.lua;
      return await this.conn.call('EVAL', argv);
    }
  }

  /** Loads scripts ahead of their first use (saves the EVAL fallback round trip). */
  async load(scripts: readonly Script[]): Promise<void> {
    await Promise.all(scripts.map((s) => this.conn.script('LOAD', s.lua)));
  }
}
