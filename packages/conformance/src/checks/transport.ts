// The rules of `POST /api/:api`: 401, 404, 415, -400 and the envelope, which the protocol sets,
// and this toolkit's choices where it is silent (405 with Allow, 413, the order of the checks,
// the field named in a -400), which are advice. A -403 answer skips what needs a logged-in bot,
// input validation included: the protocol does not order -403 and -400.

import { httpAnswers, retcodes } from '@milky/types';
import type { RawRequest } from '../http.ts';
import { describeValue, expect, Failure, type Recorder, skip } from '../report.ts';
import { type Rule, rules } from '../rules.ts';
import type { Target } from '../target.ts';

export interface TransportOptions {
  /** The server's body limit, when known; without it the 413 row is skipped. */
  readonly bodyLimit?: number | undefined;
  /** Whether the bot is logged in: when not, what needs a logged-in bot is skipped. */
  readonly loggedIn: boolean;
}

const loginApi = 'get_login_info';

/** Malformed inputs, each with the field a -400 message should name. */
const invalidInputs = [
  { api: 'get_user_profile', body: '{}', field: 'user_id', what: 'a missing field' },
  { api: 'get_user_profile', body: '{"user_id":"10001"}', field: 'user_id', what: 'a field of the wrong type' },
  { api: 'get_user_profile', body: '{"user_id":1}', field: 'user_id', what: 'a QQ number below the range' },
  { api: 'get_user_profile', body: '{"user_id":4294967296}', field: 'user_id', what: 'a QQ number above the range' },
  { api: 'get_user_profile', body: '{"user_id":10001.5}', field: 'user_id', what: 'a QQ number that is not an integer' },
  {
    api: 'send_group_message',
    body: '{"group_id":10001,"message":[{"type":"text","data":{"text":"a"}},{"type":"image","data":{}}]}',
    field: 'uri',
    what: 'a wrong segment deep in a message',
  },
] as const;

export async function transportChecks(target: Target, recorder: Recorder, options: TransportOptions): Promise<void> {
  const check = (name: string, rule: Rule, run: () => Promise<unknown>) => recorder.check('transport', name, rule, run);
  const json = { 'content-type': 'application/json' };
  const status = async (expected: number, path: string, init: RawRequest) => {
    const response = await target.request(target.url(path), init);
    expect(
      response.status === expected,
      `${init.method ?? 'POST'} ${path}: expected HTTP ${expected}, got ${response.status} ${describeValue(response.text.slice(0, 120))}`,
    );
    return response;
  };
  const needLogin = () => {
    if (!options.loggedIn) throw skip('the bot is not logged in (-403): a success cannot be checked');
  };

  await check('a call without Authorization gets 401', rules.token, async () => {
    target.requireToken();
    await status(httpAnswers.Unauthorized.status, `/api/${loginApi}`, { headers: json, body: '{}' });
  });
  await check('a call with a wrong token gets 401', rules.token, async () => {
    await status(httpAnswers.Unauthorized.status, `/api/${loginApi}`, {
      headers: { ...json, authorization: `Bearer ${target.requireToken()}x` },
      body: '{}',
    });
  });
  await check('a malformed Authorization (Basic, or Bearer with nothing) gets 401', rules.token, async () => {
    const token = target.requireToken();
    await status(httpAnswers.Unauthorized.status, `/api/${loginApi}`, {
      headers: { ...json, authorization: `Basic ${Buffer.from(`milky:${token}`).toString('base64')}` },
      body: '{}',
    });
    await status(httpAnswers.Unauthorized.status, `/api/${loginApi}`, { headers: { ...json, authorization: 'Bearer' }, body: '{}' });
    await status(httpAnswers.Unauthorized.status, `/api/${loginApi}`, { headers: { ...json, authorization: token }, body: '{}' });
  });
  await check('the query-string token is for /event only: a call with only ?access_token= gets 401', rules.token, async () => {
    const url = target.url(`/api/${loginApi}`);
    url.searchParams.set('access_token', target.requireToken());
    const response = await target.request(url, { headers: json, body: '{}' });
    expect(response.status === httpAnswers.Unauthorized.status, `expected HTTP ${httpAnswers.Unauthorized.status}, got ${response.status}`);
  });
  await check(
    'an API the server does not offer gets 404',
    rules.notOffered,
    async () =>
      void (await status(httpAnswers.NotFound.status, '/api/no_such_api', { headers: { ...json, ...target.auth() }, body: '{}' })),
  );
  await check(
    'a body without Content-Type gets 415',
    rules.contentType,
    async () => void (await status(httpAnswers.UnsupportedMediaType.status, `/api/${loginApi}`, { headers: target.auth(), body: '{}' })),
  );
  await check('a body that is not application/json gets 415', rules.contentType, async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      await status(httpAnswers.UnsupportedMediaType.status, `/api/${loginApi}`, {
        headers: { 'content-type': type, ...target.auth() },
        body: '{}',
      });
    }
  });

  const invalid = async (body: string, api: string = loginApi) => {
    target.expectApi(api);
    const envelope = target.envelope(await target.post(api, body), api);
    expect(
      envelope.status === 'failed' && envelope.retcode === retcodes.invalidInput,
      `${api} with ${describeValue(body)}: expected retcode ${retcodes.invalidInput}, got ${describeValue(envelope)}`,
    );
    return String(envelope.message);
  };
  await check('malformed JSON answers HTTP 200 with retcode -400', rules.invalidInput, async () => {
    await invalid('{"no": ');
    await invalid('{]');
  });
  await check('a body that is not a JSON object answers -400', rules.invalidInput, async () => {
    for (const body of ['[]', '"text"', '42', 'null', 'true']) await invalid(body);
  });
  for (const input of invalidInputs) {
    await check(`${input.what} answers -400`, rules.invalidInput, () => invalid(input.body, input.api));
  }

  const success = async (body: string, headers: Record<string, string> = {}) => {
    const envelope = target.envelope(await target.post(loginApi, body, headers), loginApi);
    expect(envelope.status === 'ok', `${loginApi} with ${describeValue(body)}: expected success, got ${describeValue(envelope)}`);
  };
  await check('an API without input takes the empty object {}', rules.emptyInput, async () => {
    needLogin();
    await success('{}');
  });
  await check('unknown fields in the input are ignored', rules.unknownFields, async () => {
    needLogin();
    await success('{"unknown_field":true,"another":[1]}');
  });
  await check('a success is {"status":"ok","retcode":0,"data":{…}} and nothing else', rules.envelope, async () => {
    needLogin();
    const response = await target.post(loginApi, '{}');
    target.envelope(response, loginApi);
    const keys = Object.keys(JSON.parse(response.text) as object).sort();
    if (keys.join() === 'data,retcode,status') return;
    const extra = keys.filter((key) => !['data', 'retcode', 'status'].includes(key));
    if (target.version.newer && keys.includes('data')) {
      target.observer?.note(`the envelope carries ${extra.join(', ')} (allowed of a newer version)`);
      return;
    }
    throw new Failure(`expected exactly status, retcode and data, got ${keys.join(', ')}`);
  });

  // This toolkit's choices where the protocol is silent: advice, never a failure.
  await check('a method other than POST gets 405 with Allow: POST', rules.methodNotAllowed, async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await status(httpAnswers.MethodNotAllowed.status, `/api/${loginApi}`, {
        method,
        headers: { ...json, ...target.auth() },
        ...(method === 'PUT' ? { body: '{}' } : {}),
      });
      expect(
        /\bPOST\b/.test(String(response.headers.allow ?? '')),
        `${method}: expected Allow: POST, got ${describeValue(response.headers.allow)}`,
      );
    }
  });
  await check('the checks come in this toolkit’s order: 401, then 404, then 405, then 415', rules.order, async () => {
    if (target.token !== undefined) await status(httpAnswers.Unauthorized.status, '/api/no_such_api', { method: 'GET' });
    await status(httpAnswers.NotFound.status, '/api/no_such_api', { method: 'GET', headers: target.auth() });
    await status(httpAnswers.MethodNotAllowed.status, `/api/${loginApi}`, { method: 'GET', headers: target.auth() });
    await status(httpAnswers.NotFound.status, '/api/no_such_api', {
      headers: { 'content-type': 'text/plain', ...target.auth() },
      body: 'x',
    });
  });
  await check('a body over the limit gets 413', rules.bodyLimit, async () => {
    if (options.bodyLimit === undefined) throw skip('the body limit is not known (pass --body-limit)');
    await status(httpAnswers.PayloadTooLarge.status, `/api/${loginApi}`, {
      headers: { ...json, ...target.auth() },
      body: `{"pad":"${'x'.repeat(options.bodyLimit)}"}`,
    });
  });
  await check('the -400 message names the field', rules.fieldNamed, async () => {
    let checked = 0;
    for (const input of invalidInputs) {
      let message: string;
      try {
        message = await invalid(input.body, input.api);
      } catch {
        continue; // Judged by its own check above.
      }
      checked++;
      expect(
        message.includes(input.field),
        `${input.api} with ${input.body}: the message should name ${input.field}, got ${describeValue(message)}`,
      );
    }
    if (checked === 0) throw skip('no input was answered with -400');
  });
  await check('Content-Type parameters such as charset=utf-8 are accepted', rules.charset, async () => {
    needLogin();
    await success('{}', { 'content-type': 'application/json; charset=utf-8' });
  });
  await check('a POST with Upgrade: h2c is served as a plain request', rules.h2c, async () => {
    needLogin();
    await success('{}', { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA' });
  });
}
