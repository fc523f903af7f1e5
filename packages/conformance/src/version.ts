// Versions as the protocol writes them (`1.2`, `1.3.0`): the server is judged by the version it
// declares in get_impl_info, against the `since` of each API, event and segment in the registry.

import { definitions, milkyVersion } from '@milky/types';

/** Whether a definition of the registry declares a field (so that a check of it belongs to this version). */
export function declaresField(definition: string, field: string): boolean {
  const properties = (definitions[definition] as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties !== undefined && Object.hasOwn(properties, field);
}

/** `[major, minor]` of a version string, or undefined when it is not one. */
export function parseVersion(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function order(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** What the suite knows of the server's version. */
export class ServerVersion {
  /** The version the server declares, when it declared one the suite can read. */
  readonly declared: string | undefined;
  private readonly parsed: [number, number] | undefined;
  private static readonly known = parseVersion(milkyVersion) as [number, number];

  constructor(declared?: string) {
    this.parsed = declared === undefined ? undefined : parseVersion(declared);
    this.declared = this.parsed ? declared : undefined;
  }

  /** Whether the server declares a newer version than the suite knows: the compatibility rules then allow more. */
  get newer(): boolean {
    return this.parsed !== undefined && order(this.parsed, ServerVersion.known) > 0;
  }

  /** Whether an item added in `since` is expected of the server (everything is, when it declared no version). */
  expects(since: string): boolean {
    const added = parseVersion(since);
    return this.parsed === undefined || added === undefined || order(added, this.parsed) <= 0;
  }

  /**
   * Whether the server declares at least the version this suite knows. The registry says which
   * version added each API, event and segment, but not each field: a field is expected only of such a server.
   */
  get current(): boolean {
    return this.parsed === undefined || order(this.parsed, ServerVersion.known) >= 0;
  }

  /** The reason a field of the registry is not checked, or undefined when it is expected. */
  fieldNotExpected(field: string): string | undefined {
    return this.current
      ? undefined
      : `${field} may be newer than Milky ${this.declared}, which the server declares (this suite knows ${milkyVersion})`;
  }

  /** The reason an item added in `since` is not checked, or undefined when it is expected. */
  notExpected(what: string, since: string): string | undefined {
    return this.expects(since) ? undefined : `${what} was added in Milky ${since}; the server declares ${this.declared}`;
  }
}
