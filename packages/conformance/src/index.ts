export { coverageLine, formatJson, formatJunit, formatTable } from './format.ts';
export { formatHtml } from './html.ts';
export type { CheckResult, Coverage, Evidence, Group, Report, Status } from './report.ts';
export { type Citation, type Kind, type Rule, rules } from './rules.ts';
export { type ConformanceOptions, LastingChangesRefused, runConformance } from './run.ts';
