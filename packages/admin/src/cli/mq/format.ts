import { CliUsageError } from '../../errors.js';

/** Renders rows as an aligned text table with a header line; `(none)` when empty. */
export function table(headers: string[], rows: (string | number)[][]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** A duration in ms as `850ms`, `12s`, `4m10s`, `3h2m`, `2d4h`; `-` for null/undefined. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}

/** An ms epoch as an ISO time (UTC, seconds); `-` when absent. */
export function time(at: number | null | undefined): string {
  return at === null || at === undefined ? '-' : new Date(at).toISOString().slice(0, 19) + 'Z';
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `10m`, `2h`, `7d` or a bare number of ms; throws naming `flag`. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m)
    throw new CliUsageError(
      `${flag} must be a duration like 500ms, 30s, 10m, 2h or 7d, got "${text}".`,
    );
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1));
}

/**
 * Parses `--since`: a duration back from now (`10m`, `2h`), an ISO date, or an ms epoch
 * (13 digits or more); returns an ms epoch.
 */
export function parseSince(text: string, now: number): number {
  if (/^\d{13,}$/.test(text)) return Number(text);
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)?$/.test(text)) return now - parseDuration(text, '--since');
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new CliUsageError(
      `--since must be a duration back from now (10m, 2h), an ISO date or an ms epoch, got "${text}".`,
    );
  return t;
}

/** Parses a positive integer flag; throws naming `flag`. */
export function parseCount(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliUsageError(`${flag} must be a positive integer, got "${text}".`);
  return n;
}
