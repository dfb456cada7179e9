// The SASL_SSL listener of a cluster started with `tools/kafka/start.sh --sasl-ssl`: its
// addresses, CA and user, as start.sh writes them to sasl-ssl.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './tools';

export interface SaslSslListener {
  readonly brokers: string[];
  /** The CA certificate (PEM) that signed the brokers' certificates. */
  readonly ca: Buffer;
  readonly caPath: string;
  readonly username: string;
  readonly password: string;
  /** The SASL mechanisms the listener enables, in Kafka's names (`SCRAM-SHA-512`, ...). */
  readonly mechanisms: string[];
}

/**
 * The listener described by `KAFKA_SASL_SSL` (a sasl-ssl.json path), else by the
 * sasl-ssl.json of the cluster in `KAFKA_RUN_DIR` or tools/kafka/run; a clear error when
 * there is none (the security tests need one: `npm test` starts its broker with it).
 */
export function saslSslListener(): SaslSslListener {
  const path = process.env.KAFKA_SASL_SSL ?? join(process.env.KAFKA_RUN_DIR ?? join(repoRoot, 'tools/kafka/run'), 'sasl-ssl.json');
  if (!existsSync(path)) {
    throw new Error(
      `no SASL_SSL listener: ${path} does not exist. The security tests need a broker started with ` +
        '`bash tools/kafka/start.sh --sasl-ssl` (npm test starts one), or KAFKA_SASL_SSL=<path of its sasl-ssl.json>.',
    );
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as { brokers: string[]; caPem: string; username: string; password: string; mechanisms: string[] };
  return { brokers: file.brokers, ca: readFileSync(file.caPem), caPath: file.caPem, username: file.username, password: file.password, mechanisms: file.mechanisms };
}
