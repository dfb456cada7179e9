import type { Logger } from '@tributary/core';
import { logLevel, type logCreator } from 'kafkajs';

/** KafkaJS namespaces whose errors are protocol responses KafkaJS retries by itself. */
const RETRIED = new Set(['Connection', 'BrokerPool', 'Cluster']);

/**
 * Routes KafkaJS's log lines to the application's logger. KafkaJS logs recoverable trouble
 * (a coordinator still loading, a lost connection it retries) as errors; those arrive at
 * debug level, the rest of its errors and warnings as warnings. What the runtime cannot
 * recover from it reports itself.
 */
export function kafkaJsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _name, ...extra } = log;
      const line = `kafkajs ${namespace}: ${message}`;
      if (level <= logLevel.WARN && !RETRIED.has(namespace)) logger.warn(line, extra);
      else logger.debug(line, extra);
    };
}
