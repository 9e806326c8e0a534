/**
 * A backend URL fit for logs, errors and dashboards: the password, and any query
 * parameter whose name suggests a secret, replaced by `***`. Text that is not a URL is
 * returned with everything after the scheme hidden.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const colon = url.indexOf(':');
    return colon < 0 ? '***' : `${url.slice(0, colon + 1)}***`;
  }
  if (parsed.password !== '') parsed.password = '***';
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '***');
    // A nested store URL (amqp://…?store=redis://…) may carry its own password.
    else if (/^[a-z][a-z0-9+.-]*:/i.test(parsed.searchParams.get(key) ?? ''))
      parsed.searchParams.set(key, redactUrl(parsed.searchParams.get(key) ?? ''));
  }
  return parsed.toString();
}
