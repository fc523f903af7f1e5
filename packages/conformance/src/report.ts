// What a run finds: one result per check, each with the rule it holds the server to and that
// rule's kind (format.ts and html.ts write it out). A protocol rule (P) passes or fails; a recommendation (C) passes or gives advice,
// which fails a run only with `strict`. A check passes with notes where the compatibility rules
// allow what a newer server sent; it is skipped, saying why, where it could not be made.

import type { Rule } from './rules.ts';

/** How a check ended: passed, failed a protocol rule, advice on a recommendation, passed with notes, or skipped. */
export type Status = 'pass' | 'fail' | 'advice' | 'note' | 'skip';

/** What part of the protocol a check is about. */
export type Group = 'transport' | 'event stream' | 'read APIs' | 'write APIs' | 'events';

/** A request of a check and the answer it got, shortened; tokens never appear. */
export interface Evidence {
  readonly request: string;
  readonly response: string;
}

/** One check: the rule it holds the server to, how it ended, why, and its evidence. */
export interface CheckResult {
  readonly group: Group;
  readonly name: string;
  readonly rule: Rule;
  readonly status: Status;
  /** Why it failed, gave advice or was skipped. */
  readonly reason?: string;
  /** For write checks: what the check changes on the server. */
  readonly changes?: string;
  /** What a newer server sent that the compatibility rules allow. */
  readonly notes?: readonly string[];
  /** The last requests of the check and their answers. */
  readonly evidence?: readonly Evidence[];
  readonly ms: number;
}

/** What the server declares and which APIs it offers. */
export interface Coverage {
  /** `get_impl_info.milky_version`, when the server answered it. */
  readonly declared?: string;
  /** The version this suite knows (the version of @milky/types). */
  readonly known: string;
  /** The APIs of the declared version, and which of them the server answers (not 404). */
  readonly apis: { readonly expected: readonly string[]; readonly offered: readonly string[]; readonly missing: readonly string[] };
  /** APIs the suite knows that are newer than the declared version, so not expected of the server. */
  readonly notExpected: readonly string[];
  /** What the run checked: the APIs whose success it checked, and the incoming segment types it saw in checked messages. */
  readonly checked: { readonly apis: readonly string[]; readonly segments: readonly string[] };
}

/** What a run found: every check, the counts, the coverage, and whether the server conforms. */
export interface Report {
  readonly url: string;
  readonly started: string;
  readonly coverage: Coverage;
  readonly results: readonly CheckResult[];
  readonly counts: Record<Status, number>;
  /** Whether advice fails the run too. */
  readonly strict: boolean;
  /** Whether nothing failed (and, with `strict`, nothing gave advice). */
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

/** Where checks report what they saw while they run. */
export interface Observer {
  /** A request and its answer. */
  exchange(evidence: Evidence): void;
  /** Something a newer server may send under the compatibility rules. */
  note(text: string): void;
}

const keptEvidence = 3;
const keptNotes = 10;

/** Collects results as checks run, one after another. */
export class Recorder implements Observer {
  readonly results: CheckResult[] = [];
  private readonly onResult: ((result: CheckResult) => void) | undefined;
  private current: { evidence: Evidence[]; notes: string[] } | undefined;

  constructor(onResult?: (result: CheckResult) => void) {
    this.onResult = onResult;
  }

  exchange(evidence: Evidence): void {
    const list = this.current?.evidence;
    if (!list) return;
    list.push(evidence);
    if (list.length > keptEvidence) list.shift();
  }

  note(text: string): void {
    const list = this.current?.notes;
    if (list && list.length < keptNotes && !list.includes(text)) list.push(text);
  }

  /** Runs one check. A failure of a C rule is advice. */
  async check(group: Group, name: string, rule: Rule, run: () => Promise<unknown>, changes?: string): Promise<Status> {
    const started = performance.now();
    const seen = { evidence: [] as Evidence[], notes: [] as string[] };
    this.current = seen;
    let status: Status = 'pass';
    let reason: string | undefined;
    try {
      await run();
      if (seen.notes.length > 0) status = 'note';
    } catch (error) {
      if (error instanceof Skip) {
        status = 'skip';
        reason = error.reason;
      } else {
        status = rule.kind === 'P' ? 'fail' : 'advice';
        reason = error instanceof Failure ? error.message : `the check itself failed: ${(error as Error).message ?? String(error)}`;
      }
    } finally {
      this.current = undefined;
    }
    this.add({
      group,
      name,
      rule,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(changes === undefined ? {} : { changes }),
      ...(seen.notes.length > 0 ? { notes: seen.notes } : {}),
      ...(seen.evidence.length > 0 ? { evidence: seen.evidence } : {}),
      ms: Math.round(performance.now() - started),
    });
    return status;
  }

  /** Records a result decided elsewhere. */
  add(result: CheckResult): void {
    this.results.push(result);
    this.onResult?.(result);
  }

  report(url: string, started: Date, coverage: Coverage, strict: boolean): Report {
    const counts: Record<Status, number> = { pass: 0, fail: 0, advice: 0, note: 0, skip: 0 };
    for (const result of this.results) counts[result.status]++;
    return {
      url,
      started: started.toISOString(),
      coverage,
      results: this.results,
      counts,
      strict,
      ok: counts.fail === 0 && (!strict || counts.advice === 0),
    };
  }
}
