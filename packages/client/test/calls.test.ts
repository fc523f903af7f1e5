// API calls against a real @milky/server on loopback, and against servers that misbehave.

import { type ApiName, apis, MilkyApiError, type MilkySchema } from '@milky/types';
import { sample } from '@milky/types/samples';
import { describe, expect, test } from 'vitest';
import {
  MilkyClient,
  MilkyHttpError,
  MilkyNetworkError,
  MilkyNotFoundError,
  MilkyProtocolError,
  MilkyTimeoutError,
  MilkyUnauthorizedError,
  MilkyUnsupportedMediaTypeError,
} from '../src/index.ts';
import { fakeServer, resolved, silent, startFullServer } from './helpers.ts';

const token = 'p@ss word/&=?';

describe('every API round-trips through the typed surface', () => {
  test.each(Object.keys(apis) as ApiName[])('%s', async (name) => {
    await using t = await startFullServer({ accessToken: token, prefix: '/milky' });
    const client = new MilkyClient({ baseUrl: t.url, accessToken: token, validation: 'strict', logger: silent });
    const input = sample(apis[name].input as MilkySchema<unknown>);
    const call = client.api[name] as (input: unknown) => Promise<unknown>;
    const output = await call(input);
    expect(output).toEqual(sample(apis[name].output as MilkySchema<unknown>));
    expect(t.received.get(name)).toEqual([resolved(name, input)]);
    expect(await client.call(name, input as never)).toEqual(output);
  });
});

describe('calls', () => {
  test('the base path is kept, with or without a trailing slash; inputs may be left out', async () => {
    await using t = await startFullServer({ prefix: '/deep/milky' });
    for (const baseUrl of [t.url, `${t.url}/`]) {
      const client = new MilkyClient({ baseUrl, logger: silent });
      expect(await client.api.get_login_info()).toEqual(sample(apis.get_login_info.output));
      expect(await client.api.get_friend_list()).toEqual(sample(apis.get_friend_list.output));
    }
    expect(t.received.get('get_friend_list')).toEqual([{ no_cache: false }, { no_cache: false }]);
  });

  test('a failed call is a MilkyApiError with the API, retcode and message', async () => {
    await using t = await startFullServer();
    t.server.handle('get_group_info', () => {
      throw new MilkyApiError(-10, 'no such group');
    });
    const client = new MilkyClient({ baseUrl: t.url, logger: silent });
    const error = await client.api.get_group_info({ group_id: 123456 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MilkyApiError);
    expect(error).toMatchObject({ name: 'MilkyApiError[-10]', api: 'get_group_info', retcode: -10, message: 'no such group' });
    const invalid = await client.call('get_group_info', { group_id: 5 }).catch((thrown: unknown) => thrown);
    expect(invalid).toMatchObject({ retcode: -400, message: expect.stringContaining('group_id: expected an integer from 10001') });
    t.server.setLoggedIn(false);
    expect(await client.api.get_login_info().catch((thrown: unknown) => thrown)).toMatchObject({ retcode: -403 });
  });

  test('HTTP refusals are errors of their own: 401, 404, 415 and other statuses', async () => {
    await using t = await startFullServer({ accessToken: token });
    t.server.setLoggedIn(true);
    const wrong = new MilkyClient({ baseUrl: t.url, accessToken: 'wrong', logger: silent });
    const unauthorized = await wrong.api.get_login_info().catch((thrown: unknown) => thrown);
    expect(unauthorized).toBeInstanceOf(MilkyUnauthorizedError);
    expect(unauthorized).toMatchObject({ name: 'MilkyHttpError[401]', status: 401, api: 'get_login_info', code: 'http' });
    await using partial = await fakeServer((request, response) => {
      const status = request.url?.endsWith('get_login_info') ? 404 : request.url?.endsWith('get_impl_info') ? 415 : 502;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`);
    });
    const client = new MilkyClient({ baseUrl: partial.url, logger: silent });
    expect(await client.api.get_login_info().catch((thrown: unknown) => thrown)).toBeInstanceOf(MilkyNotFoundError);
    expect(await client.api.get_impl_info().catch((thrown: unknown) => thrown)).toBeInstanceOf(MilkyUnsupportedMediaTypeError);
    const other = await client.api.get_csrf_token().catch((thrown: unknown) => thrown);
    expect(other).toBeInstanceOf(MilkyHttpError);
    expect(other).toMatchObject({ status: 502, message: 'calling get_csrf_token: HTTP 502 (status 502)' });
  });

  test('answers that are not a Milky envelope, or whose result breaks the protocol, are MilkyProtocolError', async () => {
    const bodies = ['hello', '[1]', '{"status":"ok","retcode":0}', '{"status":"ok","retcode":0,"data":{"uin":5,"nickname":"x"}}'];
    await using fake = await fakeServer((_, response, index) => response.writeHead(200).end(bodies[index]));
    const client = new MilkyClient({ baseUrl: fake.url, logger: silent });
    const messages = [];
    for (let i = 0; i < bodies.length; i++) {
      const error = await client.api.get_login_info().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(MilkyProtocolError);
      messages.push((error as Error).message);
    }
    expect(messages).toEqual([
      'calling get_login_info: the answer is not JSON: "hello"',
      'calling get_login_info: the answer is not a JSON object: [1]',
      'calling get_login_info: data must always be an object, got undefined',
      'calling get_login_info: the result does not match the protocol: uin: expected an integer from 10001 to 4294967295, got the number 5',
    ]);
  });

  test('lenient results take fields this version does not know; strict ones do not', async () => {
    const body = JSON.stringify({ status: 'ok', retcode: 0, data: { uin: 123456, nickname: 'x', avatar: 'new in 9.9' } });
    await using fake = await fakeServer((_, response) => response.writeHead(200).end(body));
    expect(await new MilkyClient({ baseUrl: fake.url, logger: silent }).api.get_login_info()).toMatchObject({ uin: 123456 });
    const strict = new MilkyClient({ baseUrl: fake.url, validation: 'strict', logger: silent });
    expect(await strict.api.get_login_info().catch((thrown: unknown) => (thrown as Error).message)).toContain('avatar: unexpected field');
  });

  test('timeouts, network failures and aborts', async () => {
    await using hang = await fakeServer(() => {});
    const client = new MilkyClient({ baseUrl: hang.url, timeout: 60_000, logger: silent });
    const timeout = await client.api.get_login_info(undefined, { timeout: 50 }).catch((thrown: unknown) => thrown);
    expect(timeout).toBeInstanceOf(MilkyTimeoutError);
    expect(timeout).toMatchObject({ timeout: 50, message: 'calling get_login_info: no answer within 50 ms' });
    const controller = new AbortController();
    const aborted = client.api.get_login_info({}, { signal: controller.signal }).catch((thrown: unknown) => thrown);
    controller.abort(new Error('user gave up'));
    expect(await aborted).toMatchObject({ message: 'user gave up' });
    const closedPort = hang.port;
    await hang[Symbol.asyncDispose]();
    const unreachable = new MilkyClient({ baseUrl: `http://127.0.0.1:${closedPort}`, logger: silent });
    const network = await unreachable.api.get_login_info().catch((thrown: unknown) => thrown);
    expect(network).toBeInstanceOf(MilkyNetworkError);
    expect((network as Error).message).toBe('calling get_login_info: ECONNREFUSED');
  });

  test('read-only calls may be retried on failures worth retrying; others may not', async () => {
    const ok = JSON.stringify({ status: 'ok', retcode: 0, data: { csrf_token: 't' } });
    await using flaky = await fakeServer((_, response, index) =>
      index % 3 === 2 ? response.writeHead(200).end(ok) : response.writeHead(503).end(),
    );
    const client = new MilkyClient({ baseUrl: flaky.url, logger: silent });
    expect(await client.api.get_csrf_token({}, { retry: { attempts: 3, baseDelay: 1 } })).toEqual({ csrf_token: 't' });
    expect(await client.api.get_csrf_token().catch((thrown: unknown) => thrown)).toMatchObject({ status: 503 });
    const noRetry = client.call('send_group_message', { group_id: 123456, message: [] }, { retry: true } as never);
    await expect(noRetry).rejects.toThrow('retry is for read-only APIs; send_group_message changes something');
  });

  test('no error holds the token', async () => {
    await using t = await startFullServer({ accessToken: token });
    const errors: unknown[] = [];
    const client = new MilkyClient({ baseUrl: `http://127.0.0.1:${t.port}`, accessToken: `${token}x`, logger: silent });
    errors.push(await client.api.get_login_info().catch((thrown: unknown) => thrown));
    errors.push(await client.api.get_login_info(undefined, { timeout: 1 }).catch((thrown: unknown) => thrown));
    const text = errors.map((error) => `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).join('\n');
    expect(text).not.toContain(token);
  });

  test('a baseUrl that is not http(s) is refused', () => {
    expect(() => new MilkyClient({ baseUrl: 'ftp://host/' })).toThrow('baseUrl must be an http(s) URL, got ftp:');
  });
});
