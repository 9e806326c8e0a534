/**
 * The dashboard's client of the admin API: every call carries the bearer token (kept in
 * sessionStorage for this tab only), so no cookie can be ridden cross-site.
 */

const TOKEN_KEY = 'mq-admin-token';

/** The API root, relative to the page: works under any base path or proxy prefix. */
export const API = new URL('./api', document.baseURI).pathname;

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(t: string | null): void {
  if (t === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, t);
}

/** An error reply of the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls an endpoint; a JSON body makes it a POST. */
export async function api<T = unknown>(path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      res.status,
      json?.error?.code ?? 'HTTP',
      json?.error?.message ?? res.statusText,
    );
  return json as T;
}

/** One frame of the live plane. */
export interface LiveFrame {
  event: string;
  data: unknown;
}

/**
 * Follows the SSE live plane with fetch (EventSource cannot send the bearer header),
 * reconnecting with Last-Event-ID after a drop. Returns a stop function.
 */
export function follow(query: string, onFrame: (f: LiveFrame) => void): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let ctrl: AbortController | undefined;
  const run = async (): Promise<void> => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}` };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const res = await fetch(`${API}/events${query}`, { headers, signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i = buf.indexOf('\n\n');
          while (i >= 0) {
            const raw = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = 'message';
            let data = '';
            for (const line of raw.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
              else if (line.startsWith('id: ')) lastId = line.slice(4);
            }
            try {
              onFrame({ event, data: JSON.parse(data) });
            } catch {
              // a ping or a frame that is not JSON
            }
            i = buf.indexOf('\n\n');
          }
        }
      } catch {
        // dropped or refused: retry below
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    ctrl?.abort();
  };
}

/** "3 s", "4 min", "2 h" from ms. */
export function ago(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
