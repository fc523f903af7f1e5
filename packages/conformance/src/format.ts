// The report written out: a table for a terminal, JSON, and JUnit XML for CI systems. Each
// result shows its kind (P, a protocol rule; C, a recommendation) and, when it did not simply
// pass, the rule it holds the server to and where that rule is written.

import type { CheckResult, Coverage, Group, Report, Status } from './report.ts';
import { cite } from './rules.ts';

const marks: Record<Status, string> = { pass: 'pass  ', fail: 'FAIL  ', advice: 'advice', note: 'note  ', skip: 'skip  ' };

/** "60 of 64 APIs of Milky 1.2 offered". */
export function coverageLine(coverage: Coverage): string {
  const { expected, offered } = coverage.apis;
  const version = coverage.declared ?? coverage.known;
  return `${offered.length} of ${expected.length} APIs of Milky ${version} offered`;
}

/** The server's version and what it offers, as lines. */
export function coverageLines(coverage: Coverage): string[] {
  const declared =
    coverage.declared === undefined
      ? `The server declares no Milky version the suite can read; judged as Milky ${coverage.known}`
      : `The server declares Milky ${coverage.declared}; this suite knows Milky ${coverage.known}`;
  return [
    `${declared}.`,
    `${coverageLine(coverage)}.`,
    ...(coverage.apis.missing.length > 0 ? [`  not offered (404): ${coverage.apis.missing.join(', ')}`] : []),
    ...(coverage.notExpected.length > 0 ? [`  newer than the declared version, not expected: ${coverage.notExpected.join(', ')}`] : []),
  ];
}

export function summaryLine(report: Report): string {
  const { pass, fail, advice, note, skip } = report.counts;
  return `${pass} passed, ${fail} failed, ${advice} advice, ${note} with notes, ${skip} skipped${report.strict ? ' (strict: advice fails the run)' : ''}`;
}

function details(result: CheckResult): string[] {
  const lines: string[] = [];
  if (result.reason) lines.push(result.reason);
  for (const note of result.notes ?? []) lines.push(`note: ${note}`);
  if (result.status === 'fail' || result.status === 'advice')
    lines.push(`rule (${result.rule.kind}): ${result.rule.text} (${cite(result.rule)})`);
  if (result.changes && result.status !== 'skip') lines.push(`changes: ${result.changes}`);
  return lines;
}

/** The report as a table for a terminal: group, status, kind, check, and why. */
export function formatTable(report: Report): string {
  const lines: string[] = [`Milky conformance of ${report.url}`, ...coverageLines(report.coverage)];
  let group: Group | undefined;
  for (const result of report.results) {
    if (result.group !== group) {
      group = result.group;
      lines.push('', `${group}`);
    }
    lines.push(`  ${marks[result.status]} ${result.rule.kind}  ${result.name}`, ...details(result).map((line) => `           ${line}`));
  }
  lines.push('', 'P: a protocol rule, which can fail the run. C: a recommendation, reported as advice.', summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** The report as JSON, for scripts. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] as string);
}

/** The report as JUnit XML: a test suite per group, a test case per check; advice fails a case only when strict. */
export function formatJunit(report: Report): string {
  const groups = [...new Set(report.results.map((result) => result.group))];
  const failing = (result: CheckResult) => result.status === 'fail' || (report.strict && result.status === 'advice');
  const suites = groups.map((group) => {
    const results = report.results.filter((result) => result.group === group);
    const cases = results.map((result) => {
      const head = `    <testcase classname="milky.${xml(group.replace(/\s+/g, '-'))}" name="${xml(result.name)}" time="${(result.ms / 1000).toFixed(3)}"`;
      const rule = `${result.rule.kind}: ${result.rule.text} (${cite(result.rule)})`;
      if (result.status === 'pass') return `${head}/>`;
      if (result.status === 'skip') return `${head}>\n      <skipped message="${xml(result.reason ?? '')}"/>\n    </testcase>`;
      if (failing(result)) return `${head}>\n      <failure message="${xml(result.reason ?? '')}">${xml(rule)}</failure>\n    </testcase>`;
      const out = result.status === 'advice' ? `advice: ${result.reason ?? ''}\n${rule}` : (result.notes ?? []).join('\n');
      return `${head}>\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
    });
    const failures = results.filter(failing).length;
    const skipped = results.filter((result) => result.status === 'skip').length;
    const time = results.reduce((sum, result) => sum + result.ms, 0) / 1000;
    return `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = report.results.filter(failing).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="milky conformance" tests="${report.results.length}" failures="${failures}" skipped="${report.counts.skip}" timestamp="${report.started}">\n${suites.join('\n')}\n</testsuites>\n`;
}
