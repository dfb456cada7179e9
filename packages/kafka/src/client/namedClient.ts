import { StreamsError } from '@tributary/core';
import { createKafkaJsClient, type KafkaJsClientOptions } from './kafkajs/createKafkaJsClient';
import type { StreamsClient } from './StreamsClient';

/** The built-in clients, by name: KafkaJS (the default), and `@platformatic/kafka` (Node 22 or newer). */
export type ClientName = 'kafkajs' | 'platformatic';

export const CLIENT_NAMES: readonly ClientName[] = ['kafkajs', 'platformatic'];

/** The oldest Node major `@platformatic/kafka` 2.x runs on. */
const PLATFORMATIC_NODE_MAJOR = 22;

/**
 * Creates the named built-in client with the application's connection options. The
 * `@platformatic/kafka` adapter is imported only here, when asked for: it is an optional
 * peer dependency, so an application on KafkaJS neither needs nor loads it.
 */
export async function createNamedClient(name: ClientName, options: KafkaJsClientOptions): Promise<StreamsClient> {
  if (name === 'kafkajs') return createKafkaJsClient(options);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < PLATFORMATIC_NODE_MAJOR) {
    throw new StreamsError(`client 'platformatic' needs Node ${PLATFORMATIC_NODE_MAJOR} or newer (@platformatic/kafka 2.x); this is Node ${process.versions.node}: use client 'kafkajs' or a newer Node`, { retriable: false });
  }
  let adapter: typeof import('./platformatic/createPlatformaticClient');
  try {
    adapter = await import('./platformatic/createPlatformaticClient');
  } catch (error) {
    const missing = /@platformatic\/kafka/.test((error as Error).message) && /cannot find|not found|ERR_MODULE_NOT_FOUND/i.test(`${(error as Error).message} ${(error as { code?: string }).code}`);
    throw new StreamsError(
      missing
        ? "client 'platformatic' needs the package @platformatic/kafka, which is not installed: npm install @platformatic/kafka (an optional peer dependency of @tributary/kafka)"
        : `client 'platformatic' could not be loaded: ${(error as Error).message}`,
      { cause: error, retriable: false },
    );
  }
  return adapter.createPlatformaticClient(options);
}
