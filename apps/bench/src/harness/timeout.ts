import { BenchTimeoutError } from '../errors.js';

/**
 * Resolves or rejects like `work`, but rejects with a `BenchTimeoutError` naming `what`
 * once `ms` have passed. The work itself is not cancelled (JavaScript cannot), so callers
 * tear the system down afterwards to stop it.
 */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
