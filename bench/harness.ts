// A small benchmark harness: each case runs for a fixed time per round, several rounds, and the
// median rate is reported. Ratios are computed against a baseline measured in the same run.

export interface Case {
  readonly name: string;
  /** One operation; the return value is kept so that the work cannot be optimized away. */
  readonly run: () => unknown;
}

export interface Result {
  readonly name: string;
  /** Median operations per second over the rounds. */
  readonly rate: number;
}

let sink: unknown;

function round(run: () => unknown, milliseconds: number): number {
  let operations = 0;
  let batch = 64;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < milliseconds) {
    for (let i = 0; i < batch; i++) sink = run();
    operations += batch;
    elapsed = performance.now() - start;
    if (elapsed < milliseconds / 10) batch *= 2;
  }
  return (operations / elapsed) * 1000;
}

/** Measures each case: a warm-up round, then `rounds` rounds of `milliseconds` each, interleaved. */
export function measure(cases: readonly Case[], { rounds = 5, milliseconds = 400 } = {}): Result[] {
  for (const c of cases) round(c.run, milliseconds / 2);
  const rates = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (const [index, c] of cases.entries()) rates[index]?.push(round(c.run, milliseconds));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return cases.map((c, index) => {
    const sorted = [...(rates[index] ?? [])].sort((a, b) => a - b);
    return { name: c.name, rate: sorted[Math.floor(sorted.length / 2)] ?? 0 };
  });
}

export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)}M/s`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}k/s`;
  return `${rate.toFixed(0)}/s`;
}

/** Prints results as a table, each with its ratio to the baseline. */
export function report(title: string, results: readonly Result[], baseline: string): void {
  const base = results.find((result) => result.name === baseline);
  if (!base) throw new Error(`no baseline ${baseline}`);
  console.log(`\n${title}`);
  const width = Math.max(...results.map((result) => result.name.length));
  for (const result of results) {
    const ratio = result.rate / base.rate;
    const mark = result === base ? '(baseline)' : `${ratio.toFixed(2)}×`;
    console.log(`  ${result.name.padEnd(width)}  ${formatRate(result.rate).padStart(10)}  ${mark}`);
  }
}

/** Prints whether a ratio meets its target. */
export function target(description: string, ratio: number, minimum: number): void {
  const verdict = ratio >= minimum ? 'met' : 'NOT met';
  console.log(`  target: ${description} ≥ ${minimum}× — measured ${ratio.toFixed(2)}×, ${verdict}`);
}

export function rateOf(results: readonly Result[], name: string): number {
  const found = results.find((result) => result.name === name);
  if (!found) throw new Error(`no result ${name}`);
  return found.rate;
}
