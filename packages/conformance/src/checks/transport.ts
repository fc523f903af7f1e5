// The rules of `POST /api/:api`, row by row and in their order: 401, 404, 405, 415, 413, -400
// for bodies and for inputs, and the envelope of what succeeds.

import { request } from '../http.ts';
import { describeValue, expect, type Recorder, skip } from '../report.ts';
import type { Target } from '../target.ts';

export interface TransportOptions {
  /** The server's body limit, when known; without it the 413 row is skipped. */
  readonly bodyLimit?: number | undefined;
  /** Whether the bot is logged in: when not, rows past -403 in the order cannot be checked. */
  readonly loggedIn: boolean;
}

const loginApi = 'get_login_info';

export async function transportChecks(target: Target, recorder: Recorder, options: TransportOptions): Promise<void> {
  const check = (name: string, run: () => Promise<unknown>) => recorder.check('transport', name, run);
  const json = { 'content-type': 'application/json' };
  const status = async (expected: number, path: string, init: Parameters<typeof request>[1]) => {
    const response = await request(target.url(path), init);
    expect(
      response.status === expected,
      `${init?.method ?? 'POST'} ${path}: expected HTTP ${expected}, got ${response.status} ${describeValue(response.text.slice(0, 120))}`,
    );
    return response;
  };
  const needLogin = () => {
    if (!options.loggedIn) throw skip('the bot is not logged in (-403): a success cannot be checked');
  };

  await check('a call without Authorization gets 401', async () => {
    target.requireToken();
    await status(401, `/api/${loginApi}`, { headers: json, body: '{}' });
  });
  await check('a call with a wrong token gets 401', async () => {
    await status(401, `/api/${loginApi}`, { headers: { ...json, authorization: `Bearer ${target.requireToken()}x` }, body: '{}' });
  });
  await check('a malformed Authorization (Basic, or Bearer with nothing) gets 401', async () => {
    const token = target.requireToken();
    await status(401, `/api/${loginApi}`, {
      headers: { ...json, authorization: `Basic ${Buffer.from(`milky:${token}`).toString('base64')}` },
      body: '{}',
    });
    await status(401, `/api/${loginApi}`, { headers: { ...json, authorization: 'Bearer' }, body: '{}' });
    await status(401, `/api/${loginApi}`, { headers: { ...json, authorization: token }, body: '{}' });
  });
  await check('the query-string token is for /event only: a call with only ?access_token= gets 401', async () => {
    const url = target.url(`/api/${loginApi}`);
    url.searchParams.set('access_token', target.requireToken());
    const response = await request(url, { headers: json, body: '{}' });
    expect(response.status === 401, `expected HTTP 401, got ${response.status}`);
  });
  await check(
    'an API the server does not offer gets 404',
    async () => void (await status(404, '/api/no_such_api', { headers: { ...json, ...target.auth() }, body: '{}' })),
  );
  await check('a method other than POST gets 405 with Allow: POST', async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await status(405, `/api/${loginApi}`, {
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
  await check(
    'a body without Content-Type gets 415',
    async () => void (await status(415, `/api/${loginApi}`, { headers: target.auth(), body: '{}' })),
  );
  await check('a body that is not application/json gets 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
      await status(415, `/api/${loginApi}`, { headers: { 'content-type': type, ...target.auth() }, body: '{}' });
    }
  });
  await check('the checks come in the protocol’s order: 401, then 404, then 405, then 415', async () => {
    if (target.token !== undefined) await status(401, '/api/no_such_api', { method: 'GET' });
    await status(404, '/api/no_such_api', { method: 'GET', headers: target.auth() });
    await status(405, `/api/${loginApi}`, { method: 'GET', headers: target.auth() });
    await status(404, '/api/no_such_api', { headers: { 'content-type': 'text/plain', ...target.auth() }, body: 'x' });
  });
  await check('a body over the limit gets 413', async () => {
    if (options.bodyLimit === undefined) throw skip('the body limit is not known (pass --body-limit)');
    await status(413, `/api/${loginApi}`, { headers: { ...json, ...target.auth() }, body: `{"pad":"${'x'.repeat(options.bodyLimit)}"}` });
  });

  const invalid = async (body: string, api = loginApi, mention?: string) => {
    const envelope = target.envelope(await target.post(api, body), api);
    expect(
      envelope.status === 'failed' && envelope.retcode === -400,
      `${api} with ${describeValue(body)}: expected retcode -400, got ${describeValue(envelope)}`,
    );
    if (mention)
      expect(
        String(envelope.message).includes(mention),
        `${api} with ${body}: the message should name ${mention}, got ${describeValue(envelope.message)}`,
      );
  };
  await check('malformed JSON answers HTTP 200 with retcode -400', async () => {
    await invalid('{"no": ');
    await invalid('{]');
  });
  await check('a body that is not a JSON object answers -400', async () => {
    for (const body of ['[]', '"text"', '42', 'null', 'true']) await invalid(body);
  });
  await check('a missing field answers -400 naming it', async () => invalid('{}', 'get_user_profile', 'user_id'));
  await check('a field of the wrong type answers -400 naming it', async () =>
    invalid('{"user_id":"10001"}', 'get_user_profile', 'user_id'),
  );
  await check('an out-of-range QQ number answers -400 naming it', async () => {
    await invalid('{"user_id":1}', 'get_user_profile', 'user_id');
    await invalid('{"user_id":4294967296}', 'get_user_profile', 'user_id');
    await invalid('{"user_id":10001.5}', 'get_user_profile', 'user_id');
  });
  await check('a wrong segment deep in a message answers -400 naming its path', async () =>
    invalid('{"group_id":10001,"message":[{"type":"text","data":{"text":"a"}},{"type":"image","data":{}}]}', 'send_group_message', 'uri'),
  );

  const success = async (body: string, headers: Record<string, string> = {}) => {
    const envelope = target.envelope(await target.post(loginApi, body, headers), loginApi);
    expect(envelope.status === 'ok', `${loginApi} with ${describeValue(body)}: expected success, got ${describeValue(envelope)}`);
  };
  await check('an API without input takes the empty object {}', async () => {
    needLogin();
    await success('{}');
  });
  await check('unknown fields in the input are ignored', async () => {
    needLogin();
    await success('{"unknown_field":true,"another":[1]}');
  });
  await check('Content-Type parameters such as charset=utf-8 are accepted', async () => {
    needLogin();
    await success('{}', { 'content-type': 'application/json; charset=utf-8' });
  });
  await check('a POST with Upgrade: h2c is served as a plain request', async () => {
    needLogin();
    await success('{}', { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA' });
  });
  await check('a success is {"status":"ok","retcode":0,"data":{…}} and nothing else', async () => {
    needLogin();
    const response = await target.post(loginApi, '{}');
    target.envelope(response, loginApi);
    const keys = Object.keys(JSON.parse(response.text) as object).sort();
    expect(keys.join() === 'data,retcode,status', `expected exactly status, retcode and data, got ${keys.join(', ')}`);
  });
}
