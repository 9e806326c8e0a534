import type { Connections } from './connection.js';
import { RedisBackendClosedError } from './errors.js';
import type { KeySpace } from './keys.js';
import type { ResolvedRedisOptions } from './options.js';
import type { Arg, Script, ScriptRunner } from './script-runner.js';
import type { WriteCoalescer } from './write-coalescer.js';

/** What every role of one backend shares: connections, key names, the script runner. */
export class BackendContext {
  constructor(
    readonly opts: ResolvedRedisOptions,
    readonly conns: Connections,
    readonly keys: KeySpace,
    readonly scripts: ScriptRunner,
    readonly writes: WriteCoalescer,
  ) {}

  /** Runs a queue script with the queue's keys. */
  runQueue(s: Script, queue: string, args: readonly Arg[]): Promise<unknown> {
    if (this.conns.isClosed) return Promise.reject(new RedisBackendClosedError());
    return this.scripts.run(s, this.keys.queue(queue).list, args);
  }

  /**
   * Records `queue` in the registry set when a queue script reports it created the
   * queue's meta hash (first write, or the first after `obliterate`). The set is a
   * cross-slot key, so it is written here rather than inside the queue's script. Not
   * awaited: commands issued later on this connection still run after it, and the
   * write that created the queue must not wait an extra round trip (a worker could
   * otherwise publish `active` before the producer publishes `added`).
   */
  registerIf(flag: unknown, queue: string): void {
    if (flag !== 1) return;
    this.conns.main.sadd(this.keys.registry, queue).catch((err: unknown) => {
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    });
  }
}
