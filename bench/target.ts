// What every server under test runs in its process: it announces its port, counts its garbage
// collection pauses with the runtime's own observer (reported and reset on request), tells the CPU
// time it has used (to the microsecond, threads included), and exits when the orchestrating
// process lets it go.

import { constants, PerformanceObserver } from 'node:perf_hooks';

/** The kinds of collection a `gc` entry names (its `detail.kind`). */
const kindNames = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'scavenge'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'mark-compact'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental marking'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weak callbacks'],
]);

export interface GcPauses {
  readonly type: 'gc';
  readonly count: number;
  /** The longest pause, in milliseconds. */
  readonly longest: number;
  /** The kind of collection of the longest pause (scavenge, mark-compact…), `''` when none. */
  readonly longestKind: string;
  /** Pauses above 10 ms by kind of collection. */
  readonly over10Kinds: Readonly<Record<string, number>>;
  /** The sum of the pauses, in milliseconds. */
  readonly total: number;
}

let pauses: Array<{ duration: number; kind: string }> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } | null }).detail?.kind;
    pauses.push({ duration: entry.duration, kind: kindNames.get(kind ?? -1) ?? `kind ${kind}` });
  }
}).observe({ entryTypes: ['gc'] });

function gcReport(): GcPauses {
  const longest = pauses.reduce<{ duration: number; kind: string }>((most, pause) => (pause.duration > most.duration ? pause : most), {
    duration: 0,
    kind: '',
  });
  const over10Kinds: Record<string, number> = {};
  for (const { duration, kind } of pauses) if (duration > 10) over10Kinds[kind] = (over10Kinds[kind] ?? 0) + 1;
  const report = {
    type: 'gc' as const,
    count: pauses.length,
    longest: longest.duration,
    longestKind: longest.kind,
    over10Kinds,
    total: pauses.reduce((sum, pause) => sum + pause.duration, 0),
  };
  pauses = [];
  return report;
}

/** Announces `port` and answers the orchestrator's requests; `more` answers any other message. */
export function serveBench(port: number, more?: (message: { type: string } & Record<string, unknown>) => void): void {
  process.on('message', (message: { type: string } & Record<string, unknown>) => {
    if (message.type === 'gc') process.send?.(gcReport());
    else if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', microseconds: user + system });
    } else if (message.type === 'rss') {
      // What stays: with --expose-gc, garbage is collected first.
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    } else more?.(message);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  process.send?.({ type: 'listening', port });
}
