import { expect, test } from 'vitest';
import { MilkyApiError, retcodes, toMilkyApiError } from '../src/index.ts';

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
