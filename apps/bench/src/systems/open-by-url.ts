import { type Backend, backendFromUrl } from '@mq/core';

/**
 * Our backend for a URL, through the one loader every tool uses (`backendFromUrl`).
 * Imported from here, where the backend packages are this app's dependencies.
 */
export function openByUrl(url: string): Promise<Backend> {
  return backendFromUrl(url, undefined, (pkg) => import(pkg));
}

/** Null when the URL's backend loads, else the reason it does not (for a skipped column). */
export async function backendProblem(url: string): Promise<string | null> {
  try {
    await (await openByUrl(url)).close();
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** `url` with one more query parameter. */
export const withParam = (url: string, name: string, value: string): string =>
  `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
