/** Listener signatures keyed by event name. */
export type EventMap = { [event: string]: (...args: never[]) => void };

/**
 * A small typed event emitter. Unlike Node's EventEmitter, an `error` event without a
 * listener is ignored, not thrown: a queue library must not crash its host process
 * because nobody listened.
 */
export class TypedEmitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  /** Adds a listener. */
  on<K extends keyof E>(event: K, listener: E[K]): this {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  /** Removes a listener. */
  off<K extends keyof E>(event: K, listener: E[K]): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  /** Adds a listener called at most once. */
  once<K extends keyof E>(event: K, listener: E[K]): this {
    const wrapped = ((...args: Parameters<E[K]>) => {
      this.off(event, wrapped);
      (listener as (...a: Parameters<E[K]>) => void)(...args);
    }) as E[K];
    return this.on(event, wrapped);
  }

  /** True when someone listens: lets callers skip building event payloads. */
  protected hasListeners(event: keyof E): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  /** Calls every listener; a throwing listener does not stop the others. */
  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of set) {
      try {
        (l as (...a: Parameters<E[K]>) => void)(...args);
      } catch (err) {
        if (event !== 'error') this.emit('error' as K, ...([err] as unknown as Parameters<E[K]>));
      }
    }
  }
}
