import type { Backend } from '@mq/core';
import { AdminConfigError, NotFoundError } from '../errors.js';

/** A backend with the name the admin shows it under. */
export interface NamedBackend {
  name: string;
  backend: Backend;
}

/** The backends one admin serves, by name; the first is the default. */
export class BackendSet {
  private readonly byName: Map<string, Backend>;

  constructor(backends: Readonly<Record<string, Backend>>) {
    this.byName = new Map(Object.entries(backends));
    if (this.byName.size === 0)
      throw new AdminConfigError(
        'No backend given: pass `backend` or `backends: { name: backend }` to the admin.',
      );
    for (const name of this.byName.keys())
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
        throw new AdminConfigError(
          `Backend name "${name}" is not usable in a URL: use 1-64 letters, digits or "._-".`,
        );
  }

  /** Every backend, in the order given. */
  all(): NamedBackend[] {
    return [...this.byName].map(([name, backend]) => ({ name, backend }));
  }

  /** The backend named `name` (default: the first). Throws `NotFoundError`. */
  get(name?: string): NamedBackend {
    if (name === undefined) return this.all()[0] as NamedBackend;
    const backend = this.byName.get(name);
    if (!backend) throw new NotFoundError('backend', name);
    return { name, backend };
  }
}
