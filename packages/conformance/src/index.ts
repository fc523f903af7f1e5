export { type CheckResult, formatJson, formatJunit, formatTable, type Group, type Report, type Status } from './report.ts';
export { type ConformanceOptions, runConformance } from './run.ts';
