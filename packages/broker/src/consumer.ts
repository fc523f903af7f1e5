// What the parts of a worker share: its place in the consumer group (the stream, the group, its
// name), its connection, its counts and series, and the way an entry goes to the dead letters.

import type { Redis } from 'ioredis';
import type { Keys } from './keys.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** An entry as Redis hands it over: its id and its fields, name and value alternating. */
export type Reply = [id: string, fields: string[]];

/** How an entry was done with: handled, buried, or handled through another account's entry. */
export type Outcome = 'handled' | 'dead' | 'deduplicated';

/** One consumer of one group, as its parts see it. */
export interface Consumer {
  readonly redis: Redis;
  readonly keys: Keys;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  readonly maxAttempts: number;
  readonly claimIdle: number;
  readonly logger: Logger;
  /** Counts the series of `workerMetrics`. */
  readonly metrics: Metrics;
  /** Moves an entry to the dead letters and acknowledges it. */
  bury(id: string, fields: string[], error: string, attempts: number): Promise<void>;
}
