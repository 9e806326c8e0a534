/** ANSI styles the demo uses. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<Style, string> = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};

/** Wraps `text` in `style` when `enabled` (a TTY without NO_COLOR); else returns it as is. */
export function paint(text: string, style: Style | undefined, enabled: boolean): string {
  return enabled && style ? `${CODES[style]}${text}\x1b[0m` : text;
}

/** One column of a table: the first is left-aligned, numbers right-aligned. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
  style?: Style;
}

/**
 * Lays out `rows` under `columns`, two spaces apart, each column as wide as its widest
 * cell. Pads before painting so escape codes never break the alignment.
 */
export function table(columns: Column[], rows: string[][], colors: boolean): string[] {
  const widths = columns.map((c, i) =>
    Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[], header: boolean) =>
    cells
      .map((cell, i) => {
        const col = columns[i] as Column;
        const w = widths[i] as number;
        const padded = col.align === 'left' ? cell.padEnd(w) : cell.padStart(w);
        return paint(padded, header ? 'dim' : col.style, colors);
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.title),
      true,
    ),
    ...rows.map((r) => line(r, false)),
  ];
}

/** Seconds with one decimal, e.g. `4.2 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
