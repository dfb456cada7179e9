import { StreamsError } from '@tributary/core';
import type { ResolvedConnection } from '../config/ConnectionOptions';
import type { StreamsAdmin } from './StreamsClient';

/**
 * Connects `admin`, the first connection an application makes; a failure names the brokers
 * and the security protocol (never a secret) and keeps the adapter's reason and whether
 * retrying may help.
 */
export async function connectAdmin(admin: StreamsAdmin, brokers: readonly string[], connection: ResolvedConnection): Promise<void> {
  try {
    await admin.connect();
  } catch (error) {
    const retriable = !(error instanceof StreamsError) || error.retriable;
    throw new StreamsError(`cannot connect to Kafka at ${brokers.join(', ')} (${connection}): ${(error as Error).message}`, { cause: error, retriable });
  }
}
