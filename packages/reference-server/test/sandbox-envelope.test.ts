// The sandbox client reads the control API's answers with the protocol's one envelope reader.

import { MilkyApiError } from '@milky/types';
import { describe, expect, test } from 'vitest';
import { SandboxClient, SandboxHttpError } from '../src/index.ts';

/** A client whose every call is answered with HTTP 200 and `body`. */
const answering = (body: string) =>
  new SandboxClient({
    url: 'http://127.0.0.1:1',
    token: 'control',
    fetch: (async () => new Response(body, { status: 200 })) as typeof fetch,
  });

describe('the sandbox client judges envelopes as every package does', () => {
  test('an ok envelope gives its data', async () => {
    await expect(answering('{"status":"ok","retcode":0,"data":{"user_id":10002}}').run('world', {})).resolves.toEqual({ user_id: 10002 });
  });

  test('a failed envelope is a MilkyApiError with its retcode and message', async () => {
    const failure = answering('{"status":"failed","retcode":-404,"message":"no such group"}').run('world', {});
    await expect(failure).rejects.toBeInstanceOf(MilkyApiError);
    await expect(failure).rejects.toMatchObject({ retcode: -404, message: 'no such group', api: 'world' });
  });

  test.each([
    ['hello', 'calling world: HTTP 200: the answer is not JSON: "hello"'],
    ['{"status":"ok","retcode":0,"data":[]}', 'calling world: HTTP 200: data must always be an object, got []'],
    ['{"status":"ok","retcode":3,"data":{}}', 'calling world: HTTP 200: status "ok" needs retcode 0, got 3'],
    ['{"status":"maybe","retcode":-1}', 'calling world: HTTP 200: status must be "ok" or "failed", got "maybe"'],
    ['{"status":"failed","retcode":0,"message":"x"}', 'calling world: HTTP 200: a failure needs a non-zero integer retcode, got 0'],
  ])('%s is no envelope', async (body, message) => {
    const failure = answering(body).run('world', {});
    await expect(failure).rejects.toBeInstanceOf(SandboxHttpError);
    await expect(failure).rejects.toThrow(message);
  });
});
