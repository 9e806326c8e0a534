import type { Backend } from '@mq/core';

const ROLES = ['jobs', 'admin', 'schedules', 'locks', 'workers', 'events'] as const;

/**
 * A fault injector in front of a real backend: while `hung`, every call of its roles
 * returns a promise that never settles and never reaches the store — what a connection
 * that holds every byte without closing looks like to its caller.
 */
export class Hangable {
  /** Calls made while hung, by `role.method`. */
  readonly held: string[] = [];
  /** The backend to hand to the code under test. */
  readonly backend: Backend;
  private hung = false;

  constructor(inner: Backend) {
    const roles = Object.fromEntries(
      ROLES.map((role) => [role, this.wrap(role, inner[role] as unknown as object)]),
    );
    this.backend = Object.freeze({
      ...roles,
      name: inner.name,
      capabilities: inner.capabilities,
      ready: () => (this.hung ? this.hold('ready') : inner.ready()),
      // The inner backend belongs to the suite, which closes it.
      close: async () => undefined,
    }) as unknown as Backend;
  }

  /** Stops answering: every later call hangs. */
  hang(): void {
    this.hung = true;
  }

  /** Answers again (calls made while hung stay hung). */
  resume(): void {
    this.hung = false;
  }

  private hold(call: string): Promise<never> {
    this.held.push(call);
    return new Promise<never>(() => undefined);
  }

  private wrap(role: string, target: object): object {
    return new Proxy(target, {
      get: (t, key, receiver) => {
        const value = Reflect.get(t, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          this.hung ? this.hold(`${role}.${String(key)}`) : value.apply(t, args);
      },
    });
  }
}
