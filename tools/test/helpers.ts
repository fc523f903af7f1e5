import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emitter } from '../src/emit/emitter.ts';
import { buildModel } from '../src/model/build.ts';
import type { Model } from '../src/model/ir.ts';
import { readSpec } from '../src/model/read-spec.ts';

/** Scalars and a one-event union that fragments can lean on. */
const prelude = `
/**
 * A QQ number.
 * @TJS-type integer
 * @minimum 10001
 * @maximum 4294967295
 */
export type Uin = number & {};
/**
 * A count.
 * @TJS-type integer
 * @minimum 0
 * @maximum 9007199254740991
 */
export type Int64 = number & {};
`;

/** The envelope of the spec: two shapes told apart by `status`. */
export const envelopeDecls = `
/**
 * Envelope.
 * @discriminator status
 */
export interface ApiResponse {
  /** Done. */
  ok: ApiSuccess;
  /** Not done. */
  failed: ApiFailure;
}

/** Success. */
export interface ApiSuccess {
  /** Shape. */
  status: 'ok';
  /** Zero. */
  retcode: 0;
  /** Result. */
  data: object;
}

/**
 * Failure.
 * @subject a failure
 */
export interface ApiFailure {
  /** Shape. */
  status: 'failed';
  /**
   * Why.
   * @TJS-type integer
   * @nonZero
   */
  retcode: number;
  /** Message. */
  message: string;
}`;

export interface Fragment {
  /** Declarations of the fragment. */
  readonly decls: string;
  /** Body of the \`system\` category interface. */
  readonly apis?: string;
  /** Body of the event union; a one-variant default when absent. */
  readonly events?: string;
  /** The spec's version (`Protocol.version`); 1.2 when absent. */
  readonly version?: string;
  /** Bodies of the `Retcodes` and `HttpAnswers` interfaces; one of each when absent. */
  readonly wire?: { readonly retcodes: string; readonly answers: string };
  /** Declarations of the envelope, `ApiResponse` and its shapes; {@link envelopeDecls} when absent. */
  readonly envelope?: string;
}

/** Writes a complete little spec around a fragment. */
export function specSource(fragment: Fragment): string {
  return `${prelude}
${fragment.decls}

/** Offline payload. */
export interface OfflineEvent {
  /** Why. */
  reason: string;
}

/**
 * Events.
 * @tagged event_type
 */
export interface Event {
${fragment.events ?? '  /** Gone offline. */\n  bot_offline: OfflineEvent;'}
}

/** System APIs. */
export interface SystemApis {
${fragment.apis ?? '  /** Ping. */\n  ping: {};'}
}

/** Wire. */
export interface Wire {
  /** Envelope. */
  envelope: ApiResponse;
  /** Retcodes. */
  retcodes: Retcodes;
  /** Answers. */
  answers: HttpAnswers;
}

${fragment.envelope ?? envelopeDecls}

/** Retcodes. */
export interface Retcodes {
${fragment.wire?.retcodes ?? "  /** Bad input. */\n  invalidInput: { code: -400; kind: 'P' };"}
}

/** Answers. */
export interface HttpAnswers {
${fragment.wire?.answers ?? "  /** No such API. */\n  NotFound: { status: 404; kind: 'P' };"}
}

/** Root. */
export interface Protocol {
  /** Version. */
  version: '${fragment.version ?? '1.2'}';
  /** APIs. */
  apis: {
    /** System. */
    system: SystemApis;
  };
  /** Events. */
  event: Event;
  /** Wire. */
  wire: Wire;
}
`;
}

/** Reads a fragment through the real reader and model builder. */
export function modelOf(fragment: Fragment): Model {
  const dir = mkdtempSync(join(tmpdir(), 'milky-spec-'));
  try {
    const entry = join(dir, 'index.ts');
    writeFileSync(entry, specSource(fragment));
    return buildModel(readSpec(entry), '9.9.9');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one file an emitter writes at `path`. */
export function emitted(emitter: Emitter, model: Model, path: string): string {
  const file = emitter.emit(model).find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${emitter.name} wrote no ${path}`);
  return file.content;
}

/**
 * The printed block of one top-level statement whose text contains `anchor`
 * (such as `export interface Foo `), with the comment right above it.
 */
export function block(source: string, anchor: string): string {
  const blocks = source.split('\n\n');
  const found = blocks.find((text) => text.includes(anchor));
  if (!found) throw new Error(`no block with ${JSON.stringify(anchor)} in:\n${source}`);
  return found.trim();
}
