// One redis-server for the whole test run; each test keeps to keys of its own prefix.

import type { TestProject } from 'vitest/node';
import { startRedis } from '../../../scripts/redis-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await startRedis();
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
