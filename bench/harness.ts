// A small benchmark harness. In-process cases (`measure`) run for a fixed time per round, several
// rounds, interleaved, and the median rate is reported. Comparisons between processes
// (`interleave`) run each kind once per round, baseline first, and report the median of the
// per-round ratios with their range, the CPU the server and the load generator used, and a
// verdict against a target.

import type { GcPauses } from './target.ts';

/** `BENCH_QUICK=1` (or `npm run bench -- --quick`): shorter rounds and fewer of them, for development. */
export const quick = process.env.BENCH_QUICK === '1';

/** More than this share of their core, load generators set the rate: it is theirs, not the server's. */
export const generatorBound = 0.9;

/** A setting of a benchmark: `BENCH_<NAME>` when set, else its quick or its full value. */
export function setting(name: string, full: number, short: number): number {
  const value = process.env[`BENCH_${name}`];
  if (value !== undefined && value !== '') {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`BENCH_${name} must be a positive number, got ${JSON.stringify(value)}`);
    return parsed;
  }
  return quick ? short : full;
}

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

/** One measurement of one kind in one round. */
export interface Sample {
  /** Operations per second. */
  readonly rate: number;
  /** Share of one core used by the server (1 = a whole core). */
  readonly serverCpu: number;
  /** Share of one core used by the load generator or the receiving clients. */
  readonly generatorCpu: number;
  readonly gc?: GcPauses | undefined;
}

/** Runs `once` for every kind in every round, in order (baseline, others, baseline, others…), after one warm-up of each. */
export async function interleave<K, S extends Sample = Sample>(
  kinds: readonly K[],
  rounds: number,
  once: (kind: K) => Promise<S>,
): Promise<S[][]> {
  for (const kind of kinds) await once(kind);
  const samples = kinds.map(() => [] as S[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, kind] of kinds.entries()) samples[index]?.push(await once(kind));
  }
  return samples;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Ratio {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/** The ratio of `samples` to `baseline` round by round: its median and range. */
export function ratioOf(samples: readonly Sample[], baseline: readonly Sample[]): Ratio {
  const ratios = samples.map((sample, round) => sample.rate / (baseline[round]?.rate ?? Number.NaN));
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

/** Operations per second of server CPU: what a round costs the server, whatever else ran on its core. */
export function perCpu(samples: readonly Sample[]): Sample[] {
  return samples.map((sample) => ({ ...sample, rate: sample.rate / Math.max(sample.serverCpu, 1e-9) }));
}

const percent = (share: number) => `${Math.round(share * 100)}%`.padStart(4);

/** The longest of several reports' GC pauses and its kind, and how many were over 10 ms, by kind. */
export function describePauses(reports: readonly GcPauses[]): string {
  const longest = reports.reduce<GcPauses | undefined>(
    (most, report) => (most && most.longest >= report.longest ? most : report),
    undefined,
  );
  const over10 = new Map<string, number>();
  for (const report of reports)
    for (const [kind, count] of Object.entries(report.over10Kinds)) over10.set(kind, (over10.get(kind) ?? 0) + count);
  const total = [...over10.values()].reduce((sum, count) => sum + count, 0);
  const kinds = [...over10].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return `longest ${(longest?.longest ?? 0).toFixed(1)} ms${longest?.longestKind ? ` (${longest.longestKind})` : ''}, ${total} over 10 ms${total > 0 ? ` (${kinds})` : ''}`;
}

/** Prints one line per kind: median rate, ratio to the baseline (first), CPU of server and generator, GC pauses. */
export function reportSamples(
  title: string,
  names: readonly string[],
  samples: readonly (readonly Sample[])[],
  { generator = 'wrk', unit = '' }: { generator?: string; unit?: string } = {},
): Ratio[] {
  console.log(`\n${title}`);
  const width = Math.max(...names.map((name) => name.length));
  const base = samples[0] ?? [];
  const ratios: Ratio[] = [];
  let saturated = false;
  let starved = false;
  for (const [index, name] of names.entries()) {
    const own = samples[index] ?? [];
    const ratio = ratioOf(own, base);
    const mark =
      index === 0 ? '(baseline)'.padEnd(20) : `${ratio.median.toFixed(2)}× (${ratio.low.toFixed(2)}–${ratio.high.toFixed(2)})`.padEnd(20);
    const generatorCpu = median(own.map((sample) => sample.generatorCpu));
    if (generatorCpu > generatorBound) saturated = true;
    const serverCpu = median(own.map((sample) => sample.serverCpu));
    if (serverCpu < 0.85) starved = true;
    const efficiency = ratioOf(perCpu(own), perCpu(base));
    const gcs = own.flatMap((sample) => (sample.gc ? [sample.gc] : []));
    const gc = gcs.length > 0 ? `  GC ${describePauses(gcs)}` : '';
    console.log(
      `  ${name.padEnd(width)}  ${`${formatRate(median(own.map((sample) => sample.rate)))}${unit}`.padStart(12)}  ${mark}` +
        `  server CPU ${percent(serverCpu)}, ${generator} CPU ${percent(generatorCpu)}` +
        `  per server CPU-second ${formatRate(median(perCpu(own).map((sample) => sample.rate)))}${index === 0 ? '' : ` ${efficiency.median.toFixed(2)}×`}${gc}`,
    );
    ratios.push(ratio);
  }
  if (starved)
    console.log(
      '  caution: a server used less than 85% of its core: other work on the machine took the rest; the rates per server CPU-second are the steadier figures',
    );
  if (saturated)
    console.log(`  caution: ${generator} used more than 90% of its core in some case; that rate may be the generator's, not the server's`);
  return ratios;
}

/** Prints a target and whether the measured value meets it. */
export function verdict(description: string, measured: string, met: boolean, target: string): void {
  console.log(`  target: ${description} ${target} — measured ${measured}: ${met ? 'met' : 'NOT met'}`);
}

/** Prints a ratio's target and verdict: the median of the per-round ratios must reach `minimum`. */
export function ratioVerdict(description: string, ratio: Ratio, minimum: number): void {
  verdict(
    description,
    // Three decimals where two would round onto the target and hide which side it is on.
    `${ratio.median.toFixed(ratio.median.toFixed(2) === minimum.toFixed(2) ? 3 : 2)} (rounds ${ratio.low.toFixed(2)}–${ratio.high.toFixed(2)})`,
    ratio.median >= minimum,
    `≥ ${minimum}`,
  );
}
