// The shared modules, each by what it promises.

import { describe, expect, test } from 'vitest';
import { backoffDelay, backoffWindow } from '../src/backoff.ts';
import { logLine, namedLogger, redactUrl } from '../src/logger.ts';
import { normalizePrefix } from '../src/prefix.ts';
import { type SseMessage, SseParser } from '../src/sse.ts';
import { bearerToken, queryToken, tokenCheck } from '../src/tokens.ts';

describe('backoff', () => {
  const backoff = { baseDelay: 100, maxDelay: 1000 };
  test('the window doubles from the base up to the largest; the delay is jittered within it', () => {
    expect([0, 1, 2, 3, 4, 10, 5000].map((retry) => backoffWindow(retry, backoff))).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect([0, 1, 4].map((retry) => backoffDelay(retry, backoff, () => 0.999999))).toEqual([99, 199, 999]);
    expect(backoffDelay(3, backoff, () => 0)).toBe(0);
  });
});

describe('tokens', () => {
  test('Bearer: the scheme in any case, everything after it, nothing for other schemes or an empty token', () => {
    const cases: Array<[string | null | undefined, string | undefined]> = [
      ['Bearer abc', 'abc'],
      ['bearer a b', 'a b'],
      ['BEARER  padded ', 'padded'],
      ['Basic abc', undefined],
      ['Bearer ', undefined],
      ['Bearerabc', undefined],
      ['', undefined],
      [null, undefined],
      [undefined, undefined],
    ];
    for (const [header, token] of cases) expect(bearerToken(header), String(header)).toBe(token);
  });

  test('the query token of a request path', () => {
    expect(queryToken('/event?access_token=a%20b&x=1')).toBe('a b');
    expect(queryToken('/event?x=1')).toBeUndefined();
    expect(queryToken('/event')).toBeUndefined();
  });

  test('a check passes the expected token only, and everything when none is expected', () => {
    const check = tokenCheck('secret');
    expect([check('secret'), check('secret2'), check('secre'), check(''), check(undefined)]).toEqual([true, false, false, false, false]);
    expect(tokenCheck(undefined)(undefined)).toBe(true);
  });
});

describe('prefixes', () => {
  test('become empty or a leading slash without a trailing one; anything else is refused', () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, ''],
      ['', ''],
      ['/', ''],
      ['milky', '/milky'],
      ['/milky/', '/milky'],
      ['a/b/', '/a/b'],
    ];
    for (const [prefix, normal] of cases) expect(normalizePrefix(prefix), String(prefix)).toBe(normal);
    expect(() => normalizePrefix('/a//b')).toThrow('prefix must be a URL path such as /milky, got "/a//b"');
    expect(() => normalizePrefix('/a b')).toThrow(/got "\/a b"/);
  });
});

describe('logging', () => {
  test('lines carry the package’s own name, and fields only when there are some', () => {
    expect(logLine('server', 'a thing', { n: 1 })).toBe('[milky:server] a thing {"n":1}');
    expect(logLine('client', 'a thing', {})).toBe('[milky:client] a thing');
    const lines: string[] = [];
    const { warn, error } = console;
    console.warn = (line: string) => lines.push(`warn ${line}`);
    console.error = (line: string) => lines.push(`error ${line}`);
    try {
      namedLogger('server').info('quiet');
      namedLogger('server').warn('careful');
      namedLogger('broker', { info: true }).info('started');
      namedLogger('broker').error('failed', { why: 'x' });
    } finally {
      Object.assign(console, { warn, error });
    }
    expect(lines).toEqual(['warn [milky:server] careful', 'error [milky:broker] started', 'error [milky:broker] failed {"why":"x"}']);
  });

  test('URLs lose credentials and token-like parameters', () => {
    expect(redactUrl('https://user:pass@example.com/hook?access_token=abc&id=7&token=t')).toBe(
      'https://***:***@example.com/hook?access_token=***&id=7&token=***',
    );
    expect(redactUrl('/event?access_token=abc&x=1')).toBe('/event?access_token=***&x=1');
    expect(redactUrl('not a url')).toBe('(invalid URL)');
  });
});

describe('SSE', () => {
  const parse = (chunks: string[]) => {
    const messages: SseMessage[] = [];
    const retries: number[] = [];
    const parser = new SseParser({ message: (message) => messages.push(message), retry: (ms) => retries.push(ms) });
    for (const chunk of chunks) parser.feed(chunk);
    return { messages, retries, lastEventId: parser.lastEventId };
  };

  test('events across chunks, any line ending, comments, multi-line data, ids and retry', () => {
    const { messages, retries, lastEventId } = parse([
      'retry: 3000\n: a comment\nevent: milky_event\nid: 7\nda',
      'ta: {"a":1}\r\n\r\ndata: one\rdata: two\r',
      '\n\r\ndata:no space\n\nid\ndata: x\n\n',
    ]);
    expect(messages).toEqual([
      { event: 'milky_event', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: 'no space', id: '7' },
      { event: 'message', data: 'x', id: '' },
    ]);
    expect(retries).toEqual([3000]);
    expect(lastEventId).toBe('');
  });

  test('a block without data dispatches nothing, and an unfinished one waits for its blank line', () => {
    expect(parse(['event: x\n\n', 'data: pending\n']).messages).toEqual([]);
  });
});
