// The server under test, as the checks see it: where its endpoints are, what it declares and
// offers, and calls whose answers are checked against the envelope and the API's output schema.
// Every request a check makes goes through here, so its evidence is recorded without the token.

import {
  type ApiName,
  type ApiOutput,
  apis,
  apiValidators,
  httpAnswers,
  isApiName,
  readEnvelope,
  retcodes,
  type ValidationIssue,
} from '@milky/types';
import { mediaType, type RawRequest, type RawResponse, request } from './http.ts';
import { normalizePrefix } from './internal/prefix.ts';
import { describeValue, expect, Failure, type Observer, skip } from './report.ts';
import { ServerVersion } from './version.ts';

export interface Envelope {
  readonly status: unknown;
  readonly retcode: unknown;
  readonly data?: unknown;
  readonly message?: unknown;
}

/** An API answered with a failure retcode. */
export class ApiFailure extends Failure {
  readonly retcode: number;
  constructor(api: string, retcode: number, message: string) {
    super(`${api} answered retcode ${retcode}: ${message}`);
    this.retcode = retcode;
  }
}

const excerpt = 300;
const notLoggedIn = 'the bot is not logged in (-403): what needs a logged-in bot cannot be checked';

/** Fields of answers that are secrets of the bot's account, left out of the evidence like the token. */
const secrets = /"(cookies|csrf_token|access_token|token)"\s*:\s*"(?:[^"\\]|\\.)*"/g;

function shorten(text: string): string {
  return text.length > excerpt ? `${text.slice(0, excerpt)}… (${Buffer.byteLength(text)} bytes)` : text;
}

/** An Authorization value with its credentials left out: `Bearer …`, or `…` alone. */
export function redact(authorization: string): string {
  const scheme = /^([A-Za-z]+) /.exec(authorization)?.[1];
  return scheme ? `${scheme} …` : '…';
}

export class Target {
  readonly base: URL;
  readonly token: string | undefined;
  readonly prefix: string;
  /** Where requests and notes are reported. */
  observer: Observer | undefined;
  /** The version the server declares; until it is asked, everything is expected. */
  version = new ServerVersion();
  /** APIs of the registry that answered 404. */
  readonly notOffered = new Set<string>();
  /** APIs whose success was checked against the protocol during the run. */
  readonly checkedApis = new Set<string>();
  /** Incoming segment types seen in the messages the run checked. */
  readonly seenSegments = new Set<string>();

  constructor(url: string, token: string | undefined, prefix = '') {
    this.base = new URL(url);
    this.token = token;
    this.prefix = normalizePrefix(prefix);
  }

  /** The URL of an endpoint (`/api/get_login_info`, `/event`) under the prefix. */
  url(path: string): URL {
    return new URL(`${this.base.pathname.replace(/\/+$/, '')}${this.prefix}${path}`, this.base);
  }

  /** The token, for checks that need one; without it they end as skipped. */
  requireToken(): string {
    if (this.token === undefined) throw skip('no --token given: the server was not said to require one');
    return this.token;
  }

  /** `Authorization` for the configured token (none without one). */
  auth(): Record<string, string> {
    return this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
  }

  /** One request, recorded as evidence (the token shown as `…`). */
  async request(url: URL, init: RawRequest = {}): Promise<RawResponse> {
    const response = await request(url, init);
    this.observer?.exchange(this.describe(url, init, response));
    return response;
  }

  private describe(url: URL, init: RawRequest, response: RawResponse) {
    const shown = new URL(url);
    if (shown.searchParams.has('access_token')) shown.searchParams.set('access_token', '…');
    const headers = Object.entries(init.headers ?? {})
      .filter(([name]) => ['content-type', 'authorization', 'upgrade'].includes(name.toLowerCase()))
      .map(([name, value]) => `${name}: ${name.toLowerCase() === 'authorization' ? redact(value) : value}`);
    const body = init.body === undefined ? '' : shorten(init.body.toString());
    const answered = ['content-type', 'allow'].filter((name) => response.headers[name] !== undefined);
    return {
      request: [`${init.method ?? 'POST'} ${shown.pathname}${shown.search}`, ...headers, ...(body ? ['', body] : [])].join('\n'),
      response: [
        `HTTP ${response.status}`,
        ...answered.map((name) => `${name}: ${String(response.headers[name])}`),
        ...(response.text ? ['', shorten(response.text.replace(secrets, '"$1":"…"'))] : []),
      ].join('\n'),
    };
  }

  /** A POST to `/api/<name>` with a JSON body, as a well-behaved app sends it. */
  post(name: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return this.request(this.url(`/api/${name}`), { headers: { 'content-type': 'application/json', ...this.auth(), ...headers }, body });
  }

  /** Skips the check when the server does not declare or offer an API of the registry. */
  expectApi(name: string): void {
    if (!isApiName(name)) return;
    const reason = this.version.notExpected(name, apis[name].since);
    if (reason) throw skip(reason);
    if (this.notOffered.has(name)) throw skip(`${name} is not offered by the server (HTTP 404): see the coverage`);
  }

  /**
   * Parses an API answer, checking that it is HTTP 200 with a JSON envelope of the protocol's
   * shape. A 404 for an API of the registry means the server does not offer it: the check is
   * skipped. A -403 means the bot is not logged in: the check is skipped with that reason.
   */
  envelope(response: RawResponse, api: string, { loginNeeded = true } = {}): Envelope {
    if (response.status === httpAnswers.NotFound.status && isApiName(api)) {
      this.notOffered.add(api);
      throw skip(`${api} is not offered by the server (HTTP 404): see the coverage`);
    }
    expect(response.status === 200, `${api}: expected HTTP 200, got ${response.status} ${describeValue(response.text.slice(0, 200))}`);
    expect(
      mediaType(response.headers) === 'application/json',
      `${api}: expected Content-Type application/json, got ${describeValue(response.headers['content-type'])}`,
    );
    const envelope = readEnvelope(response.text);
    if (envelope.status === 'invalid') throw new Failure(`${api}: ${envelope.problem}`);
    if (envelope.status === 'ok') return { status: 'ok', retcode: 0, data: envelope.data };
    expect(envelope.message !== undefined, `${api}: a failure needs a message string`);
    if (envelope.retcode === retcodes.notLoggedIn && loginNeeded) throw skip(notLoggedIn);
    return { status: 'failed', retcode: envelope.retcode, message: envelope.message };
  }

  /**
   * Checks a value a server sent against the protocol. What breaks only the rules of this
   * version but is allowed of a newer one (extra fields, unknown union members) is a note when the
   * server declares a newer version.
   */
  conforms(subject: string, strict: (limit: number) => ValidationIssue[], lenient: (limit: number) => ValidationIssue[]): void {
    const issue = strict(1)[0];
    if (!issue) return;
    if (this.version.newer && lenient(1).length === 0) {
      for (const allowed of strict(5)) {
        this.observer?.note(`${subject}: ${allowed.message} (allowed of Milky ${this.version.declared}, newer than this suite knows)`);
      }
      return;
    }
    throw new Failure(`${subject} breaks the protocol: ${issue.message}`);
  }

  /** Calls an API; its answer must succeed and match the API's output schema. */
  async api<N extends ApiName>(name: N, input: unknown = {}): Promise<ApiOutput<N>> {
    this.expectApi(name);
    const envelope = this.envelope(await this.post(name, JSON.stringify(input)), name);
    if (envelope.status !== 'ok') throw new ApiFailure(name, envelope.retcode as number, String(envelope.message));
    this.conforms(
      `${name}: the result`,
      (limit) => apiValidators(name, 'strict').output.issues(envelope.data, limit),
      (limit) => apiValidators(name, 'lenient').output.issues(envelope.data, limit),
    );
    this.checkedApis.add(name);
    return envelope.data as ApiOutput<N>;
  }

  /** Calls an API expected to fail (for a target that does not exist); the failure must be a well-formed envelope. */
  async failing(name: ApiName, input: unknown): Promise<number> {
    this.expectApi(name);
    const envelope = this.envelope(await this.post(name, JSON.stringify(input)), name);
    expect(envelope.status === 'failed', `${name} with ${describeValue(input)} was expected to fail, but succeeded`);
    return envelope.retcode as number;
  }
}
