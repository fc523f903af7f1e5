// `@milky/server/express`: a server's endpoints as an express router. express is an optional peer
// dependency, loaded only by this entry point, so that `@milky/server` itself needs no express.

import express from 'express';
import type { MilkyServer } from './server.ts';

/**
 * An express router serving the APIs, SSE on `/event`, health and metrics of `server`; mount it
 * where the endpoints should live (`app.use('/milky', milkyRouter(server))`), before any body
 * parser. For WebSocket on `/event`, also `server.attach(httpServer, { prefix: '/milky', requests: false })`.
 */
export function milkyRouter(server: MilkyServer): express.Router {
  const router = express.Router();
  router.use((request, response, next) => {
    if (!server.serveRequest(request, response)) next();
  });
  return router;
}
