// Counters and gauges in the Prometheus text format, with labels.

/** The labels of one series of a metric, by name. */
export type Labels = Readonly<Record<string, string | number>>;

interface Series {
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly values: Map<string, number>;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(String(value))}"`).join(',')}}`;
}

/** A fixed set of counters and gauges, each with labels. */
export class Metrics {
  private readonly series = new Map<string, Series>();

  constructor(definitions: Readonly<Record<string, { help: string; type: 'counter' | 'gauge' }>>) {
    for (const [name, { help, type }] of Object.entries(definitions)) this.series.set(name, { help, type, values: new Map() });
  }

  private of(name: string): Series {
    const series = this.series.get(name);
    if (!series) throw new Error(`no metric ${name}`);
    return series;
  }

  /** Adds `amount` to the counter `name` with `labels`. */
  add(name: string, labels: Labels = {}, amount = 1): void {
    const { values } = this.of(name);
    const key = labelText(labels);
    values.set(key, (values.get(key) ?? 0) + amount);
  }

  /** Sets the gauge `name` with `labels` to `value`. */
  set(name: string, labels: Labels, value: number): void {
    this.of(name).values.set(labelText(labels), value);
  }

  /** The value of `name` with `labels` (0 when never set). */
  get(name: string, labels: Labels = {}): number {
    return this.of(name).values.get(labelText(labels)) ?? 0;
  }

  /** The Prometheus text exposition (version 0.0.4). */
  text(): string {
    const lines: string[] = [];
    for (const [name, { help, type, values }] of this.series) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
