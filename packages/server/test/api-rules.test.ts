// Every row of the API rules of communication.md, in its order, over real loopback sockets.

import type { ApiFailure } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { type HandlerContext, MilkyApiError } from '../src/index.ts';
import { call, loginInfo, request, startServer } from './helpers.ts';

const token = 'correct-horse-battery-staple';
const json = { 'content-type': 'application/json' };

describe('1. 401: an access token is configured and the request lacks it or it does not match', () => {
  test.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['another scheme', { authorization: `Basic ${token}` }],
    ['a bare token', { authorization: token }],
  ])('%s', async (_, headers) => {
    await using t = await startServer({ accessToken: token });
    const answer = await request(`${t.base}/api/get_login_info`, { headers: { ...json, ...headers }, body: '{}' });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
  });

  test('it comes before 404, 405 and 415', async () => {
    await using t = await startServer({ accessToken: token });
    expect((await request(`${t.base}/api/no_such_api`, { body: '{}' })).status).toBe(401);
    expect((await request(`${t.base}/api/get_login_info`, { method: 'GET' })).status).toBe(401);
    expect((await request(`${t.base}/api/get_login_info`, { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(401);
  });

  test('the query token is for /event only, not for APIs', async () => {
    await using t = await startServer({ accessToken: token });
    expect((await request(`${t.base}/api/get_login_info?access_token=${token}`, { headers: json, body: '{}' })).status).toBe(401);
  });

  test('the scheme is case-insensitive; the right token passes', async () => {
    await using t = await startServer({ accessToken: token });
    expect((await call(t.base, 'get_login_info', {}, undefined, { authorization: `bearer ${token}` })).status).toBe(200);
    expect((await call(t.base, 'get_login_info', {}, token)).json()).toEqual({ status: 'ok', retcode: 0, data: loginInfo });
  });

  test('without a configured token, no token is needed', async () => {
    await using t = await startServer();
    expect((await call(t.base, 'get_login_info')).status).toBe(200);
  });
});

describe('2. 404: the API is not one this server offers', () => {
  test('an unknown name, and a protocol API without a handler', async () => {
    await using t = await startServer({ accessToken: token });
    const unknown = await call(t.base, 'send_group_msg', {}, token);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('no API named "send_group_msg"\n');
    const missing = await call(t.base, 'get_group_info', { group_id: 123456 }, token);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('this server does not implement get_group_info\n');
  });

  test('it comes before 405; paths that are not endpoints are 404 too', async () => {
    await using t = await startServer({ accessToken: token });
    const headers = { authorization: `Bearer ${token}` };
    expect((await request(`${t.base}/api/no_such_api`, { method: 'GET', headers })).status).toBe(404);
    expect((await request(`${t.base}/api/`, { headers })).status).toBe(404);
    expect((await request(`${t.base}/elsewhere`, { headers })).status).toBe(404);
  });
});

describe('3. 405: the method is not POST', () => {
  test.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s answers 405 with Allow: POST', async (method) => {
    await using t = await startServer({ accessToken: token });
    const answer = await request(`${t.base}/api/get_login_info`, { method, headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });
});

describe('4. 415: the body is not application/json', () => {
  test.each([
    ['no Content-Type', undefined, 415],
    ['text/plain', 'text/plain', 415],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 415],
    ['a JSON-like type', 'application/json-patch+json', 415],
    ['another charset', 'application/json; charset=gbk', 415],
    ['application/json', 'application/json', 200],
    ['with charset=utf-8', 'application/json; charset=utf-8', 200],
    ['any case, quoted charset', 'Application/JSON;Charset="UTF-8"', 200],
  ])('%s', async (_, contentType, status) => {
    await using t = await startServer({ accessToken: token });
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) };
    expect((await request(`${t.base}/api/get_login_info`, { headers, body: '{}' })).status).toBe(status);
  });

  test('it comes before 413', async () => {
    await using t = await startServer({ bodyLimit: 16 });
    const answer = await request(`${t.base}/api/get_login_info`, { headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(100) });
    expect(answer.status).toBe(415);
  });
});

describe('5. 413: the body is larger than the limit', () => {
  test('by its Content-Length', async () => {
    await using t = await startServer({ bodyLimit: 64 });
    const answer = await call(t.base, 'send_group_message', {
      group_id: 123456,
      message: [{ type: 'text', data: { text: 'x'.repeat(100) } }],
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toBe('the body is larger than 64 bytes\n');
  });

  test('as it streams in, without a Content-Length', async () => {
    await using t = await startServer({ bodyLimit: 64 });
    const answer = await request(`${t.base}/api/get_login_info`, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: `{"padding":"${'x'.repeat(200)}"}`,
    });
    expect(answer.status).toBe(413);
  });

  test('a body at the limit passes', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(50) });
    await using t = await startServer({ bodyLimit: Buffer.byteLength(body) });
    expect((await call(t.base, 'get_login_info', body)).status).toBe(200);
  });
});

describe('6. 200 with -400: the body is not valid JSON, or not a JSON object', () => {
  test.each([
    ['{', /^the body is not valid JSON: /],
    ['', /^the body is not valid JSON: /],
    ['[]', /^the body must be a JSON object, got an array$/],
    ['null', /^the body must be a JSON object, got null$/],
    ['"text"', /^the body must be a JSON object, got string$/],
    ['42', /^the body must be a JSON object, got number$/],
  ])('%j', async (body, message) => {
    await using t = await startServer();
    const answer = await call(t.base, 'get_login_info', body);
    expect(answer.status).toBe(200);
    const envelope = answer.json() as ApiFailure;
    expect(envelope).toMatchObject({ status: 'failed', retcode: -400 });
    expect(envelope.message).toMatch(message);
  });
});

describe('7. 200 with -400: the object does not match the input schema', () => {
  test.each([
    [{ message: [] }, 'invalid parameters: group_id: required field is missing (expected an integer from 10001 to 4294967295)'],
    [{ group_id: 123, message: [] }, 'invalid parameters: group_id: expected an integer from 10001 to 4294967295, got the number 123'],
    [
      {
        group_id: 123456,
        message: [
          { type: 'text', data: {} },
          { type: 'reply', data: { message_seq: 'x' } },
        ],
      },
      'invalid parameters: message[0].data.text: required field is missing (expected a string) (and 1 more)',
    ],
  ])('%j', async (body, message) => {
    await using t = await startServer();
    expect((await call(t.base, 'send_group_message', body)).json()).toEqual({ status: 'failed', retcode: -400, message });
  });

  test('an API without parameters takes {} and ignores unknown fields', async () => {
    await using t = await startServer();
    expect((await call(t.base, 'get_login_info', { anything: 1 })).json()).toMatchObject({ retcode: 0 });
    expect((await call(t.base, 'send_group_message', { group_id: 123456, message: [], echo: 'x' })).json()).toMatchObject({ retcode: 0 });
  });
});

describe('8. 200 with -403: the bot is not logged in', () => {
  test('every API answers -403 while logged out, after the input checks', async () => {
    await using t = await startServer();
    t.server.setLoggedIn(false);
    expect((await call(t.base, 'get_login_info')).json()).toEqual({ status: 'failed', retcode: -403, message: 'the bot is not logged in' });
    expect((await call(t.base, 'send_group_message', { group_id: 1 })).json()).toMatchObject({ retcode: -400 });
    t.server.setLoggedIn(true);
    expect((await call(t.base, 'get_login_info')).json()).toMatchObject({ retcode: 0 });
  });
});

describe('9. 200 with a non-zero retcode: the operation fails', () => {
  test('a MilkyApiError answers its retcode and message', async () => {
    await using t = await startServer(
      {},
      {
        get_group_info: () => {
          throw new MilkyApiError(-10, 'no such group');
        },
      },
    );
    expect((await call(t.base, 'get_group_info', { group_id: 123456 })).json()).toEqual({
      status: 'failed',
      retcode: -10,
      message: 'no such group',
    });
    expect(t.logs.filter((line) => line.level === 'error')).toEqual([]);
  });

  test('anything else answers -500 without revealing it, and is logged', async () => {
    await using t = await startServer(
      {},
      {
        get_group_info: async () => {
          throw new Error('database at 10.0.0.5 refused: password=hunter2');
        },
      },
    );
    const answer = await call(t.base, 'get_group_info', { group_id: 123456 });
    expect(answer.json()).toEqual({ status: 'failed', retcode: -500, message: 'internal error' });
    expect(answer.text).not.toContain('hunter2');
    const logged = t.logs.find((line) => line.message === 'handler failed');
    expect(logged?.fields?.api).toBe('get_group_info');
    expect(String(logged?.fields?.error)).toContain('database at 10.0.0.5 refused');
  });

  test('the server keeps serving after a failure', async () => {
    await using t = await startServer();
    expect((await call(t.base, 'get_friend_list', { no_cache: true })).json()).toMatchObject({ retcode: -500 });
    expect((await call(t.base, 'get_login_info')).json()).toMatchObject({ retcode: 0 });
  });
});

describe('10. 200 with the success envelope', () => {
  test('data is always an object, also when the handler returns nothing', async () => {
    await using t = await startServer();
    const answer = await call(t.base, 'set_group_name', { group_id: 123456, new_group_name: 'x' });
    expect(answer.text).toBe('{"status":"ok","retcode":0,"data":{}}');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('handlers get their input with defaults applied', async () => {
    const seen: unknown[] = [];
    await using t = await startServer(
      {},
      {
        send_private_message: (input) => {
          seen.push(input);
          return { message_seq: 1, time: 2 };
        },
      },
    );
    await call(t.base, 'get_friend_list', {});
    await call(t.base, 'send_private_message', { user_id: 10001, message: [{ type: 'face', data: { face_id: '1', is_large: null } }] });
    expect(seen).toEqual([{ user_id: 10001, message: [{ type: 'face', data: { face_id: '1', is_large: false } }] }]);
    expect((await call(t.base, 'get_friend_list', { no_cache: null })).json()).toMatchObject({ retcode: 0 });
  });
});

describe('validateOutput', () => {
  const broken = { get_login_info: () => ({ uin: 42, nickname: 'x' }) };

  test('on: an invalid result answers -500 naming the field, and is logged', async () => {
    await using t = await startServer({ validateOutput: true }, broken);
    expect((await call(t.base, 'get_login_info')).json()).toEqual({
      status: 'failed',
      retcode: -500,
      message:
        'the handler of get_login_info returned an invalid result: uin: expected an integer from 10001 to 4294967295, got the number 42',
    });
    expect(t.logs.find((line) => line.message === 'handler returned an invalid result')?.fields?.api).toBe('get_login_info');
  });

  test('off (the default): the result is sent as it is', async () => {
    await using t = await startServer({}, broken);
    expect((await call(t.base, 'get_login_info')).json()).toMatchObject({ retcode: 0, data: { uin: 42 } });
  });
});

describe('Upgrade headers on API calls', () => {
  test('Upgrade: h2c on a POST is handled as a plain request', async () => {
    await using t = await startServer({ accessToken: token });
    const answer = await request(`${t.base}/api/get_login_info`, {
      headers: {
        ...json,
        authorization: `Bearer ${token}`,
        connection: 'Upgrade, HTTP2-Settings',
        upgrade: 'h2c',
        'http2-settings': 'AAMAAABkAARAAAAAAAIAAAAA',
      },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: 'ok', retcode: 0, data: loginInfo });
  });
});

describe('handler signals', () => {
  test('a handler sees its signal aborted when the app goes away', async () => {
    let aborted: Promise<unknown> | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    await using t = await startServer(
      {},
      {
        get_group_info: (_, { signal }) => {
          aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason)));
          started();
          return new Promise(() => {});
        },
      },
    );
    const http = await import('node:http');
    const outgoing = http.request(`${t.base}/api/get_group_info`, { method: 'POST', headers: json, agent: false });
    outgoing.on('error', () => {});
    outgoing.end('{"group_id":123456}');
    await running;
    outgoing.destroy();
    expect(String(await aborted)).toContain('went away');
  });

  test('every call gets a context of the same shape, its signal read from a shared getter and made when first read', async () => {
    const contexts: HandlerContext[] = [];
    await using t = await startServer(
      {},
      {
        get_login_info: (_, context) => {
          contexts.push(context);
          return loginInfo;
        },
      },
    );
    await call(t.base, 'get_login_info', {});
    await call(t.base, 'get_login_info', {});
    const [first, second] = contexts;
    expect(first?.api).toBe('get_login_info');
    expect(Object.getOwnPropertyDescriptor(first, 'signal')).toBeUndefined();
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    expect(first?.signal).toBeInstanceOf(AbortSignal);
    expect(first?.signal).toBe(first?.signal);
    expect(first?.signal.aborted).toBe(false);
  });
});

describe('metrics', () => {
  test('calls are counted by API and retcode, refusals by status', async () => {
    await using t = await startServer({ accessToken: token });
    await call(t.base, 'get_login_info', {}, token);
    await call(t.base, 'get_login_info', {}, token);
    await call(t.base, 'send_group_message', {}, token);
    await call(t.base, 'get_login_info', {}, 'wrong');
    await call(t.base, 'nope', {}, token);
    const metrics = t.server.metrics();
    expect(metrics.calls).toEqual({ get_login_info: { '0': 2 }, send_group_message: { '-400': 1 } });
    expect(metrics.rejected).toEqual({ '401': 1, '404': 1 });
    const text = (await request(`${t.base}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${token}` } })).text;
    expect(text).toContain('milky_api_calls_total{api="get_login_info",retcode="0"} 2');
    expect(text).toContain('milky_http_rejected_total{status="401"} 1');
    expect((await request(`${t.base}/metrics`, { method: 'GET' })).status).toBe(401);
  });
});

describe('tokens stay out of logs', () => {
  test('no log line holds the token, whatever fails', async () => {
    await using t = await startServer(
      { accessToken: token, validateOutput: true },
      {
        get_login_info: () => ({ uin: 1, nickname: token }),
        get_group_info: () => {
          throw new Error(`failed for ${'x'}`);
        },
      },
    );
    await call(t.base, 'get_login_info', {}, token);
    await call(t.base, 'get_group_info', { group_id: 123456 }, token);
    await request(`${t.base}/event?access_token=wrong-${token}`, { method: 'GET' });
    await t.server.close({ deadline: 100 });
    expect(JSON.stringify(t.logs)).not.toContain(token);
  });
});
