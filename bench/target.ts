// What every server under test runs in its process: it announces its port, counts its garbage
// collection pauses with the runtime's own observer (reported and reset on request), and exits
// when the orchestrating process lets it go.

import { PerformanceObserver } from 'node:perf_hooks';

export interface GcPauses {
  readonly type: 'gc';
  readonly count: number;
  /** The longest pause, in milliseconds. */
  readonly longest: number;
  /** Pauses above 10 ms. */
  readonly over10: number;
  /** The sum of the pauses, in milliseconds. */
  readonly total: number;
}

let pauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

function gcReport(): GcPauses {
  const report = {
    type: 'gc' as const,
    count: pauses.length,
    longest: Math.max(0, ...pauses),
    over10: pauses.filter((pause) => pause > 10).length,
    total: pauses.reduce((sum, pause) => sum + pause, 0),
  };
  pauses = [];
  return report;
}

/** Announces `port` and answers the orchestrator's requests; `more` answers any other message. */
export function serveBench(port: number, more?: (message: { type: string } & Record<string, unknown>) => void): void {
  process.on('message', (message: { type: string } & Record<string, unknown>) => {
    if (message.type === 'gc') process.send?.(gcReport());
    else if (message.type === 'rss') {
      // What stays: with --expose-gc, garbage is collected first.
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
    } else more?.(message);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
  process.send?.({ type: 'listening', port });
}
