// What a run finds: one result per check, pass, fail or skipped with the reason, and the ways
// it is written out (a table for people, JSON, JUnit XML for CI systems).

/** How a check ended. */
export type Status = 'pass' | 'fail' | 'skip';

/** What part of the protocol a check is about. */
export type Group = 'transport' | 'event stream' | 'read APIs' | 'write APIs' | 'events';

/** One check: what it checked, how it ended, and why. */
export interface CheckResult {
  readonly group: Group;
  readonly name: string;
  readonly status: Status;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** For write checks: what the check changes on the server. */
  readonly note?: string;
  readonly ms: number;
}

/** What a run found: every check, the counts, and whether the server conforms. */
export interface Report {
  readonly url: string;
  readonly started: string;
  readonly results: readonly CheckResult[];
  readonly counts: Record<Status, number>;
  /** Whether nothing failed. */
  readonly ok: boolean;
}

/** Thrown by a check that found the server wrong. */
export class Failure extends Error {
  override readonly name = 'Failure';
}

/** Thrown by a check that could not be made. */
export class Skip extends Error {
  override readonly name = 'Skip';
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

/** `throw skip('why')` ends a check as skipped. */
export function skip(reason: string): Skip {
  return new Skip(reason);
}

/** Fails the check unless `condition` holds. */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Collects results as checks run, one after another. */
export class Recorder {
  readonly results: CheckResult[] = [];
  private readonly onResult: ((result: CheckResult) => void) | undefined;

  constructor(onResult?: (result: CheckResult) => void) {
    this.onResult = onResult;
  }

  async check(group: Group, name: string, run: () => Promise<unknown>, note?: string): Promise<Status> {
    const started = performance.now();
    let status: Status = 'pass';
    let reason: string | undefined;
    try {
      await run();
    } catch (error) {
      if (error instanceof Skip) {
        status = 'skip';
        reason = error.reason;
      } else {
        status = 'fail';
        reason = error instanceof Failure ? error.message : `the check itself failed: ${(error as Error).message ?? String(error)}`;
      }
    }
    this.add({
      group,
      name,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(note === undefined ? {} : { note }),
      ms: Math.round(performance.now() - started),
    });
    return status;
  }

  /** Records a result decided elsewhere (a skip for a whole phase, say). */
  add(result: CheckResult): void {
    this.results.push(result);
    this.onResult?.(result);
  }

  report(url: string, started: Date): Report {
    const counts: Record<Status, number> = { pass: 0, fail: 0, skip: 0 };
    for (const result of this.results) counts[result.status]++;
    return { url, started: started.toISOString(), results: this.results, counts, ok: counts.fail === 0 };
  }
}

const marks: Record<Status, string> = { pass: 'pass', fail: 'FAIL', skip: 'skip' };

/** The report as a table for a terminal: group, status, check, and the reason or note. */
export function formatTable(report: Report): string {
  const lines: string[] = [`Milky conformance of ${report.url}`];
  let group: Group | undefined;
  for (const result of report.results) {
    if (result.group !== group) {
      group = result.group;
      lines.push('', `${group}`);
    }
    const detail = result.reason ?? result.note;
    lines.push(`  ${marks[result.status]}  ${result.name}${detail ? `\n        ${detail}` : ''}`);
  }
  const { pass, fail, skip: skipped } = report.counts;
  lines.push('', `${pass} passed, ${fail} failed, ${skipped} skipped`);
  return `${lines.join('\n')}\n`;
}

/** The report as JSON text. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] as string);
}

/** The report as JUnit XML: a test suite per group, a test case per check. */
export function formatJunit(report: Report): string {
  const groups = [...new Set(report.results.map((result) => result.group))];
  const suites = groups.map((group) => {
    const results = report.results.filter((result) => result.group === group);
    const cases = results.map((result) => {
      const head = `    <testcase classname="milky.${xml(group.replace(/\s+/g, '-'))}" name="${xml(result.name)}" time="${(result.ms / 1000).toFixed(3)}"`;
      if (result.status === 'pass') return `${head}/>`;
      if (result.status === 'skip') return `${head}>\n      <skipped message="${xml(result.reason ?? '')}"/>\n    </testcase>`;
      return `${head}>\n      <failure message="${xml(result.reason ?? '')}"/>\n    </testcase>`;
    });
    const count = (status: Status) => results.filter((result) => result.status === status).length;
    const time = results.reduce((sum, result) => sum + result.ms, 0) / 1000;
    return `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${count('fail')}" skipped="${count('skip')}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const { pass, fail, skip: skipped } = report.counts;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="milky conformance" tests="${pass + fail + skipped}" failures="${fail}" skipped="${skipped}" timestamp="${report.started}">\n${suites.join('\n')}\n</testsuites>\n`;
}
