export { MilkyApiError, retcodes } from '@milky/types';
export type { ApiHandler, ApiHandlers, HandlerContext, HandlerResult } from './api.ts';
export { bearerToken, queryToken, tokenCheck } from './auth.ts';
export {
  type ConnectionLimits,
  type ConnectionOptions,
  createLimitedServer,
  defaultConnectionLimits,
  limitConnections,
  type RefusalReason,
  resolveConnectionLimits,
} from './connections.ts';
export type { DropReason, MetricsSnapshot, Transport } from './metrics.ts';
export type { ServerOptions } from './options.ts';
export { admitConnection } from './pending.ts';
export { type AttachOptions, MilkyServer, type ServerCloseReport } from './server.ts';
