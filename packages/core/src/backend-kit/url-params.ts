/**
 * Splits a backend's own parameters (e.g. `?prefix=` for Redis, `?schema=` for
 * PostgreSQL) off a URL, so the driver sees only the parameters it knows. Names not
 * listed stay in the URL. An empty value counts as absent.
 */
export function takeUrlParams<const N extends string>(
  url: string,
  names: readonly N[],
): { url: string; params: Partial<Record<N, string>> } {
  const q = url.indexOf('?');
  if (q < 0) return { url, params: {} };
  const query = new URLSearchParams(url.slice(q + 1));
  const params: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value !== null && value !== '') params[name] = value;
    query.delete(name);
  }
  const rest = query.toString();
  return { url: rest === '' ? url.slice(0, q) : `${url.slice(0, q)}?${rest}`, params };
}
