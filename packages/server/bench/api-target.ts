// A server under test for api.bench.ts, in its own process: `bare`, `milky` or `express`.
// The garbage collection pauses of each are counted by bench/target.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { serveBench } from '../../../bench/target.ts';
import { milkyRouter } from '../src/express.ts';
import { MilkyServer, type ServerOptions } from '../src/index.ts';

const token = 'bench-token';
const kind = process.argv[2];
const silent = { info() {}, warn() {}, error() {} };
const options: ServerOptions = { accessToken: token, port: 0, logger: silent };
const handlers = (server: MilkyServer) =>
  server
    .handle('get_login_info', () => ({ uin: 1234567890, nickname: 'bench bot' }))
    .handle('send_group_message', (input) => ({ message_seq: input.message.length, time: 1763900000 }));

let port: number;
if (kind === 'bare') {
  // What any server must do at least: read the body, check the token, parse, answer the envelope.
  const want = createHash('sha256').update(token).digest();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = request.headers.authorization ?? '';
      const presented = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!timingSafeEqual(createHash('sha256').update(presented).digest(), want)) {
        response.writeHead(401).end();
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: unknown[] };
      const data =
        request.url === '/api/get_login_info'
          ? { uin: 1234567890, nickname: 'bench bot' }
          : { message_seq: input.message?.length ?? 0, time: 1763900000 };
      const body = JSON.stringify({ status: 'ok', retcode: 0, data });
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
} else if (kind === 'milky') {
  port = (await handlers(new MilkyServer(options)).listen()).port;
} else if (kind === 'express') {
  const app = express();
  app.use(milkyRouter(handlers(new MilkyServer(options))));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
} else throw new Error(`unknown kind ${kind}`);
serveBench(port);
