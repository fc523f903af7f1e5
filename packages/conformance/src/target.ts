// The server under test, as the checks see it: where its endpoints are, and calls whose answers
// are checked against the envelope and the API's output schema.

import { type ApiName, type ApiOutput, apiValidators } from '@milky/types';
import { mediaType, type RawResponse, request } from './http.ts';
import { describeValue, expect, Failure, skip } from './report.ts';

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

export class Target {
  readonly base: URL;
  readonly token: string | undefined;
  readonly prefix: string;

  constructor(url: string, token: string | undefined, prefix = '') {
    this.base = new URL(url);
    this.token = token;
    this.prefix = prefix.replace(/\/+$/, '').replace(/^(?!\/)(.)/, '/$1');
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

  /** A POST to `/api/<name>` with a JSON body, as a well-behaved app sends it. */
  post(name: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return request(this.url(`/api/${name}`), { headers: { 'content-type': 'application/json', ...this.auth(), ...headers }, body });
  }

  /** Parses an API answer, checking that it is HTTP 200 with a JSON envelope of the protocol's shape. */
  envelope(response: RawResponse, api: string): Envelope {
    expect(response.status === 200, `${api}: expected HTTP 200, got ${response.status} ${describeValue(response.text.slice(0, 200))}`);
    expect(
      mediaType(response.headers) === 'application/json',
      `${api}: expected Content-Type application/json, got ${describeValue(response.headers['content-type'])}`,
    );
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      throw new Failure(`${api}: the answer is not JSON: ${describeValue(response.text.slice(0, 200))}`);
    }
    expect(typeof body === 'object' && body !== null && !Array.isArray(body), `${api}: the answer is not a JSON object`);
    const envelope = body as Envelope;
    if (envelope.status === 'ok') {
      expect(envelope.retcode === 0, `${api}: status "ok" needs retcode 0, got ${describeValue(envelope.retcode)}`);
      expect(
        typeof envelope.data === 'object' && envelope.data !== null && !Array.isArray(envelope.data),
        `${api}: data must always be an object, got ${describeValue(envelope.data)}`,
      );
    } else {
      expect(envelope.status === 'failed', `${api}: status must be "ok" or "failed", got ${describeValue(envelope.status)}`);
      expect(
        typeof envelope.retcode === 'number' && Number.isInteger(envelope.retcode) && envelope.retcode !== 0,
        `${api}: a failure needs a non-zero integer retcode, got ${describeValue(envelope.retcode)}`,
      );
      expect(typeof envelope.message === 'string', `${api}: a failure needs a message string, got ${describeValue(envelope.message)}`);
    }
    return envelope;
  }

  /** Calls an API; its answer must succeed and match the API's output schema exactly. */
  async api<N extends ApiName>(name: N, input: unknown = {}): Promise<ApiOutput<N>> {
    const envelope = this.envelope(await this.post(name, JSON.stringify(input)), name);
    if (envelope.status !== 'ok') throw new ApiFailure(name, envelope.retcode as number, String(envelope.message));
    const issue = apiValidators(name, 'strict').output.issues(envelope.data, 1)[0];
    if (issue) throw new Failure(`${name}: the result breaks the protocol: ${issue.message}`);
    return envelope.data as ApiOutput<N>;
  }

  /** Calls an API expected to fail (for a target that does not exist); the failure must be a well-formed envelope. */
  async failing(name: ApiName, input: unknown): Promise<number> {
    const envelope = this.envelope(await this.post(name, JSON.stringify(input)), name);
    expect(envelope.status === 'failed', `${name} with ${describeValue(input)} was expected to fail, but succeeded`);
    return envelope.retcode as number;
  }
}
