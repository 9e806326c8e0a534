/** Escapes a label value per the Prometheus text format (backslash, quote, newline). */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="x",b="y"}`, or '' without labels. */
export function labelText(labels: Record<string, string>): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return l ? `{${l}}` : '';
}

/** One metric family (gauge or counter) in the text exposition format 0.0.4. */
export class Family {
  private readonly lines: string[] = [];
  constructor(
    readonly name: string,
    readonly type: 'gauge' | 'counter' | 'histogram',
    readonly help: string,
  ) {}

  /** Adds a sample; a non-finite value is written as 0. */
  add(labels: Record<string, string>, value: number, suffix = ''): void {
    this.lines.push(
      `${this.name}${suffix}${labelText(labels)} ${Number.isFinite(value) ? value : 0}`,
    );
  }

  /** The `# HELP` / `# TYPE` header and the samples. */
  render(): string {
    const body = this.lines.length > 0 ? `${this.lines.join('\n')}\n` : '';
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n${body}`;
  }
}
