import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { formatJunit, formatTable, type Report, rules, runConformance } from '../src/index.ts';
import { freePort, reference } from './helpers.ts';
import { envelope, listening, proxy } from './proxy.ts';

async function serve(handler: http.RequestListener, upgrade?: (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void) {
  const server = http.createServer(handler);
  if (upgrade) server.on('upgrade', upgrade);
  return listening(server);
}

const byName = (report: Report) => new Map(report.results.map((result) => [result.name, result]));

describe('the suite finds what is wrong', () => {
  test('a server that answers everything with success fails the rules, naming each', async () => {
    await using fake = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","retcode":0,"data":{}}');
    });
    const report = await runConformance({ url: fake.url, token: 'secret' });
    expect(report.ok).toBe(false);
    const results = byName(report);
    for (const name of [
      'a call without Authorization gets 401',
      'an API the server does not offer gets 404',
      'a body without Content-Type gets 415',
      'malformed JSON answers HTTP 200 with retcode -400',
      'a missing field answers -400',
      'WebSocket with the token in Authorization opens',
      'get_login_info',
    ]) {
      expect(results.get(name)?.status, name).toBe('fail');
    }
    // What only this toolkit chooses is advice, never a failure.
    expect(results.get('a method other than POST gets 405 with Allow: POST')).toMatchObject({ status: 'advice', rule: { kind: 'C' } });
    expect(results.get('get_login_info')?.reason).toMatch(/get_login_info: the result breaks the protocol: uin: required field is missing/);
    expect(results.get('a call without Authorization gets 401')?.reason).toMatch(/expected HTTP 401, got 200/);
    expect(formatTable(report)).toMatch(/\d+ passed, [1-9]\d* failed, [1-9]\d* advice, 0 with notes, \d+ skipped\n$/);
  });

  test('deviations seen in real implementations are caught: HTTP 400 for bad JSON, charset refused, data not an object', async () => {
    const webhookPort = await freePort();
    await using ref = await reference(webhookPort);
    const upstream = new URL(ref.url);
    // A proxy in front of the reference server that gets three rules wrong; the rest passes through.
    const pass = (
      request: http.IncomingMessage,
      response: http.ServerResponse,
      body: Buffer | undefined,
      rewrite?: (text: string) => string,
    ) => {
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          if (!rewrite) {
            response.writeHead(answer.statusCode ?? 500, answer.headers);
            answer.pipe(response);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (part: Buffer) => parts.push(part));
          answer.on('end', () => {
            const { 'content-length': _, ...headers } = answer.headers;
            response.writeHead(answer.statusCode ?? 500, headers).end(rewrite(Buffer.concat(parts).toString()));
          });
        },
      );
      response.on('close', () => forward.destroy());
      if (body) forward.end(body);
      else request.pipe(forward);
    };
    await using proxy = await serve(
      (request, response) => {
        if (!request.url?.startsWith('/api/')) {
          pass(request, response, undefined);
          return;
        }
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const body = Buffer.concat(chunks);
          if (/charset/i.test(request.headers['content-type'] ?? '')) {
            response.writeHead(415).end();
            return;
          }
          if (request.headers['content-type'] === 'application/json') {
            try {
              JSON.parse(body.toString() || '{}');
            } catch {
              response.writeHead(400).end('bad json');
              return;
            }
          }
          const csrf = request.url === '/api/get_csrf_token';
          pass(request, response, body, csrf ? (text) => text.replace(/"data":\{"csrf_token":"(\d+)"\}/, '"data":"$1"') : undefined);
        });
      },
      (request, socket, head) => {
        // WebSocket upgrades go through as raw bytes.
        const upstreamSocket = net.connect(Number(upstream.port), upstream.hostname, () => {
          const lines = [
            `${request.method} ${request.url} HTTP/1.1`,
            ...Object.entries(request.headers).map(([k, v]) => `${k}: ${String(v)}`),
            '',
            '',
          ];
          upstreamSocket.write(lines.join('\r\n'));
          upstreamSocket.write(head);
          upstreamSocket.pipe(socket).pipe(upstreamSocket);
        });
        upstreamSocket.on('error', () => socket.destroy());
        socket.on('error', () => upstreamSocket.destroy());
      },
    );
    const report = await runConformance({ url: proxy.url, token: 'conformance-token' });
    const results = byName(report);
    expect(results.get('malformed JSON answers HTTP 200 with retcode -400')?.reason).toMatch(/expected HTTP 200, got 400/);
    expect(results.get('get_csrf_token')?.reason).toMatch(/data must always be an object/);
    // Refusing charset=utf-8 breaks a recommendation (C), not the protocol: advice.
    expect(results.get('Content-Type parameters such as charset=utf-8 are accepted')).toMatchObject({
      status: 'advice',
      reason: expect.stringMatching(/expected HTTP 200, got 415/),
    });
    expect(report.results.filter((result) => result.status === 'fail').map((result) => result.name)).toEqual([
      'malformed JSON answers HTTP 200 with retcode -400',
      'get_csrf_token',
    ]);
    expect(report.results.filter((result) => result.status === 'advice').map((result) => result.name)).toEqual([
      'Content-Type parameters such as charset=utf-8 are accepted',
    ]);
  });

  test('the failures implementers hit are caught: SSE events under another name, an event missing a field, a forward read back as another segment, markdown repeated as text', async () => {
    const webhookPort = await freePort();
    await using ref = await reference(webhookPort);
    await using wrong = await proxy(ref.url, {
      eventName: 'message',
      event: (event) => {
        if (event.event_type !== 'group_nudge') return event;
        const { display_action: _, ...data } = event.data as Record<string, unknown>;
        return { ...event, data };
      },
      rewrite(request, answer) {
        if (request.url?.endsWith('/api/get_history_messages') && answer.status === 200) {
          // A markdown segment repeated as text.
          const body = JSON.parse(answer.text) as {
            data?: { messages: Array<{ segments: Array<{ type: string; data: { content?: string } }> }> };
          };
          for (const message of body.data?.messages ?? []) {
            const markdown = message.segments.find((segment) => segment.type === 'markdown');
            if (markdown) message.segments.push({ type: 'text', data: { text: markdown.data.content } } as never);
          }
          return envelope(body);
        }
        if (!request.url?.endsWith('/api/get_message') || answer.status !== 200) return answer;
        const body = JSON.parse(answer.text) as { data?: { message?: { segments: Array<{ type: string; data: object }> } } };
        const message = body.data?.message;
        if (!message) return answer;
        message.segments = message.segments.map((segment) =>
          segment.type === 'forward' ? { type: 'text', data: { text: '[forwarded messages]' } } : segment,
        );
        return envelope(body);
      },
    });
    const report = await runConformance({
      url: wrong.url,
      token: 'conformance-token',
      controlToken: 'conformance-control',
      webhookPort,
      write: true,
    });
    const results = byName(report);
    expect(results.get('SSE events are named milky_event')?.reason).toMatch(/SSE events came as event: "message"/);
    expect(results.get('every event carries the fields its type requires, as its type defines them')?.reason).toMatch(
      /sse "group_nudge".*display_action/,
    );
    expect(results.get('a message sent with a forward segment reads back with a forward segment')?.reason).toMatch(
      /reads back as \["text"\]/,
    );
    expect(report.results.filter((result) => result.status === 'fail').map((result) => result.name)).toEqual([
      'a message sent with a forward segment reads back with a forward segment',
      'every event carries the fields its type requires, as its type defines them',
      'SSE events are named milky_event',
      'a markdown segment is not repeated as a text segment',
    ]);
    expect(results.get('a markdown segment is not repeated as a text segment')?.reason).toMatch(/carries its markdown again as text/);
  });

  test('a bot that is not logged in gets a report of what could not be checked, not failures', async () => {
    const webhookPort = await freePort();
    await using ref = await reference(webhookPort);
    ref.server.setOnline(false, 'logged out');
    const report = await runConformance({
      url: ref.url,
      token: 'conformance-token',
      controlToken: 'conformance-control',
      webhookPort,
      write: true,
    });
    expect(report.results.filter((result) => result.status === 'fail')).toEqual([]);
    const results = byName(report);
    expect(results.get('a missing field answers -400')?.status).toBe('pass');
    expect(results.get('get_friend_list')).toMatchObject({ status: 'skip', reason: expect.stringContaining('-403') });
    expect(results.get('delete_friend')).toMatchObject({ status: 'skip', reason: expect.stringContaining('-403') });
    expect(results.get('group_mute arrives on every transport')).toMatchObject({ status: 'skip', reason: expect.stringContaining('-403') });
    expect(results.get('an API without input takes the empty object {}')).toMatchObject({
      status: 'skip',
      reason: expect.stringContaining('-403'),
    });
  });

  test('without --write, a sandbox or a WebHook port, what is not checked says why', async () => {
    const webhookPort = await freePort();
    await using ref = await reference(webhookPort);
    const report = await runConformance({ url: ref.url, token: 'conformance-token' });
    expect(report.ok).toBe(true);
    const results = byName(report);
    expect(results.get('set_peer_pin')).toMatchObject({ status: 'skip', reason: 'has side effects; run with --write to check it' });
    expect(results.get('message_recall arrives on every transport')?.reason).toMatch(/--control-token/);
    expect(results.get('WebHook pushes are POSTs of application/json with the Bearer token')?.reason).toBe('no --webhook-port given');

    const written = await runConformance({ url: ref.url, token: 'conformance-token', write: true, allowLastingChanges: true });
    const writes = byName(written);
    expect(writes.get('send_private_message')?.status).toBe('pass');
    expect(writes.get('delete_friend')?.reason).toMatch(/cannot be undone; runs only on fixtures/);
  });

  test('JUnit output escapes what it quotes', () => {
    const report: Report = {
      url: 'http://x',
      started: new Date(0).toISOString(),
      ok: false,
      strict: false,
      coverage: { known: '1.2', apis: { expected: [], offered: [], missing: [] }, notExpected: [], checked: { apis: [], segments: [] } },
      counts: { pass: 0, fail: 1, advice: 0, note: 0, skip: 0 },
      results: [{ group: 'transport', name: 'a <b> & "c"', rule: rules.token, status: 'fail', reason: "it's <broken>", ms: 5 }],
    };
    expect(formatJunit(report)).toContain('<testcase classname="milky.transport" name="a &lt;b&gt; &amp; &quot;c&quot;" time="0.005">');
    expect(formatJunit(report)).toContain('<failure message="it&apos;s &lt;broken&gt;">P: a request without');
  });
});
