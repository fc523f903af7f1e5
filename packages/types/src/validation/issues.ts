/** One reason a value does not match a schema. */
export interface ValidationIssue {
  /** Where, as a JSON Pointer: `/message/3/data/message_seq`; `""` for the value itself. */
  readonly pointer: string;
  /** Where, as a field path: `message[3].data.message_seq`; `(root)` for the value itself. */
  readonly path: string;
  /** What the schema expects there, such as `an integer from 10001 to 4294967295`. */
  readonly expected: string;
  /** What the value holds there, such as `the string "abc"` or `nothing`. */
  readonly received: string;
  /** The whole sentence, starting with the path. */
  readonly message: string;
}

/** Thrown when a value does not match a schema; `issues` lists why, the first in the message. */
export class MilkyValidationError extends Error {
  override readonly name = 'MilkyValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[]) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`${subject}: ${first ? first.message : 'invalid'}${more}`);
    this.issues = issues;
  }
}

/** A path segment: a property name or an array index. */
export type PathSegment = string | number;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (identifier.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text || '(root)';
}

export function formatPointer(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Describes a value for a message: `the string "abc"`, `the number 1.5`, `an object`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function issue(path: readonly PathSegment[], expected: string, received: string, message?: string): ValidationIssue {
  const where = formatPath(path);
  return {
    pointer: formatPointer(path),
    path: where,
    expected,
    received,
    message: `${where}: ${message ?? `expected ${expected}, got ${received}`}`,
  };
}
