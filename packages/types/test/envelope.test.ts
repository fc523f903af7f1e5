import { describe, expect, test } from 'vitest';
import { MilkyApiError, readEnvelope, retcodes, toMilkyApiError } from '../src/index.ts';

test('MilkyApiError shows its retcode and turns into a failed envelope', () => {
  const error = new MilkyApiError(-100, 'group not found', { api: 'get_group_info' });
  expect(error.name).toBe('MilkyApiError[-100]');
  expect(String(error)).toBe('MilkyApiError[-100]: group not found');
  expect(error.api).toBe('get_group_info');
  expect(error.toResponse()).toEqual({ status: 'failed', retcode: -100, message: 'group not found' });
  expect(() => new MilkyApiError(0, 'ok?')).toThrow('non-zero integer retcode');
});

test('anything else thrown becomes an internal error that does not reveal it', () => {
  const cause = new Error('ECONNREFUSED 10.0.0.5:5432 password=hunter2');
  const error = toMilkyApiError(cause, 'send_group_message');
  expect(error.retcode).toBe(retcodes.internalError);
  expect(error.message).toBe('internal error');
  expect(error.cause).toBe(cause);
  const own = new MilkyApiError(-403, 'not logged in');
  expect(toMilkyApiError(own)).toBe(own);
});

describe('readEnvelope', () => {
  const cases: Array<[string, ReturnType<typeof readEnvelope>]> = [
    ['{"status":"ok","retcode":0,"data":{"a":1}}', { status: 'ok', data: { a: 1 } }],
    ['{"status":"failed","retcode":-403,"message":"offline"}', { status: 'failed', retcode: -403, message: 'offline' }],
    ['{"status":"failed","retcode":-1}', { status: 'failed', retcode: -1, message: undefined }],
    ['hello', { status: 'invalid', problem: 'the answer is not JSON: "hello"' }],
    ['[1]', { status: 'invalid', problem: 'the answer is not a JSON object: [1]' }],
    ['{"status":"ok","retcode":1,"data":{}}', { status: 'invalid', problem: 'status "ok" needs retcode 0, got 1' }],
    ['{"status":"ok","retcode":0,"data":[]}', { status: 'invalid', problem: 'data must always be an object, got []' }],
    ['{"status":"ok","retcode":0}', { status: 'invalid', problem: 'data must always be an object, got undefined' }],
    ['{"status":"fine","retcode":0}', { status: 'invalid', problem: 'status must be "ok" or "failed", got "fine"' }],
    ['{"status":"failed","retcode":0,"message":"x"}', { status: 'invalid', problem: 'a failure needs a non-zero integer retcode, got 0' }],
    [
      '{"status":"failed","retcode":"-1","message":"x"}',
      { status: 'invalid', problem: 'a failure needs a non-zero integer retcode, got "-1"' },
    ],
  ];
  test.each(cases)('%s', (text, reading) => {
    expect(readEnvelope(text)).toEqual(reading);
  });
});
