import type { Backend } from '../contract/index.js';
import { ValidationError } from '../errors.js';

const ROLES = ['jobs', 'admin', 'schedules', 'locks', 'workers', 'events'] as const;

/**
 * Throws a `ValidationError` naming `/backend` unless `options.backend` looks like a
 * `Backend` (its roles and `ready`/`close`): a missing backend is a mistake to report at
 * construction, not a `TypeError` on the first call.
 */
export function assertBackend(
  options: { backend?: unknown } | undefined,
  what: string,
): asserts options is { backend: Backend } {
  const b = options?.backend as Record<string, unknown> | null | undefined;
  const ok =
    typeof b === 'object' &&
    b !== null &&
    typeof b.ready === 'function' &&
    typeof b.close === 'function' &&
    ROLES.every((r) => typeof b[r] === 'object' && b[r] !== null);
  if (ok) return;
  throw new ValidationError(what, [
    {
      path: '/backend',
      rule:
        b === undefined
          ? 'is required: pass a backend, e.g. { backend: createMemoryBackend() } from @mq/memory'
          : 'must be a Backend (from @mq/memory, @mq/redis, @mq/postgres, …)',
    },
  ]);
}
